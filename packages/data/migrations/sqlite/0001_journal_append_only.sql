-- Custom SQL migration file, put your code below! --
-- The journal is append-only: editing a row is refused by the database itself. Someone who can drop this trigger
-- can edit rows, and then the hash chain shows it (journal verify).
CREATE TRIGGER `journal_append_only` BEFORE UPDATE ON `journal`
BEGIN
  SELECT RAISE(ABORT, 'journal is append-only');
END;
