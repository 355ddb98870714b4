-- Custom SQL migration file, put your code below! --
-- The journal is append-only: editing a row is refused by the database itself. Someone who can drop this trigger
-- can edit rows, and then the hash chain shows it (journal verify).
CREATE FUNCTION smarter_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal is append-only';
END
$$;--> statement-breakpoint
CREATE TRIGGER journal_append_only BEFORE UPDATE ON journal FOR EACH ROW EXECUTE FUNCTION smarter_journal_append_only();
