/** Categories of sensitive files (SPEC §3). */
export type SensitiveCategory =
  | 'env'
  | 'vcs'
  | 'keys'
  | 'credentials'
  | 'backups'
  | 'config'
  | 'probes'
  | 'manifests'
  | 'runtime'
  | 'ide';

/**
 * How a pattern matches a canonical (lower-case) path:
 * - `segment`: any path segment equals the value (`.git`);
 * - `extension`: a segment ends with `.value` (`key` matches `server.key`, and `.key` itself);
 * - `prefix`: a segment starts with the value (`.env.` matches `.env.local`);
 * - `suffix`: a segment ends with the value (`~` matches `index.php~`);
 * - `path`: consecutive segments equal the value (`.docker/config.json`, `vendor/phpunit`).
 */
export type SensitivePatternKind = 'segment' | 'extension' | 'prefix' | 'suffix' | 'path';

/** One entry of the sensitive-file list. Values are lower-case. */
export interface SensitivePattern {
  readonly category: SensitiveCategory;
  readonly kind: SensitivePatternKind;
  readonly value: string;
}

function list(category: SensitiveCategory, kind: SensitivePatternKind, values: readonly string[]): SensitivePattern[] {
  return values.map((value) => ({ category, kind, value }));
}

/**
 * The shipped sensitive-file list, as data: extend it with `extraPatterns`, or replace it. Generic words (`sql`,
 * `database`, `backup`, `config`) are deliberately not bare-name patterns, so `/docs/database/` stays reachable.
 */
export const SENSITIVE_PATTERNS: readonly SensitivePattern[] = Object.freeze([
  ...list('env', 'segment', ['.env']),
  ...list('env', 'prefix', ['.env.']),
  ...list('env', 'extension', ['env']),
  ...list('vcs', 'segment', ['.git', '.svn', '.hg', '.bzr', '.gitconfig', '.git-credentials']),
  ...list('keys', 'extension', ['pem', 'key', 'p12', 'pfx', 'jks', 'keystore', 'ppk', 'gpg']),
  ...list('keys', 'segment', ['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'authorized_keys', 'known_hosts']),
  ...list('credentials', 'segment', [
    '.aws',
    '.ssh',
    '.npmrc',
    '.pypirc',
    '.netrc',
    '.pgpass',
    '.my.cnf',
    '.bash_history',
    '.zsh_history',
    'credentials.json',
    'secrets.json',
    'secrets.yml',
    'secrets.yaml',
    'kubeconfig',
    '.kube',
    '.gcloud',
    '.azure',
    '.terraform',
    'terraform.tfstate',
    'service-account.json',
  ]),
  ...list('credentials', 'path', ['.docker/config.json']),
  ...list('backups', 'extension', [
    'bak',
    'old',
    'orig',
    'swp',
    'swo',
    'sql',
    'sqlite',
    'sqlite3',
    'db',
    'dump',
    'tfstate',
  ]),
  ...list('backups', 'suffix', ['~']),
  ...list('config', 'segment', [
    'wp-config.php',
    'config.php',
    'configuration.php',
    'localsettings.php',
    'settings.py',
    'local_settings.py',
    'web.config',
    '.htaccess',
    '.htpasswd',
    'php.ini',
    '.user.ini',
    'docker-compose.yml',
    'docker-compose.yaml',
    'dockerfile',
    'application.properties',
    'appsettings.json',
    'database.yml',
    'parameters.yml',
    'wp-config.php.bak',
  ]),
  ...list('probes', 'segment', [
    'phpinfo.php',
    'info.php',
    'phpmyadmin',
    'adminer.php',
    'wp-login.php',
    'wp-admin',
    'xmlrpc.php',
    'server-status',
    'server-info',
    'actuator',
    'cgi-bin',
    'shell.php',
    'eval-stdin.php',
    'boaform',
    'hnap1',
    '_ignition',
  ]),
  ...list('probes', 'path', ['vendor/phpunit']),
  ...list('manifests', 'segment', [
    'package.json',
    'package-lock.json',
    'composer.json',
    'gemfile',
    'pipfile',
    'requirements.txt',
    'pyproject.toml',
    'go.mod',
    'cargo.toml',
    'pom.xml',
    'build.gradle',
  ]),
  ...list('manifests', 'extension', ['lock']),
  ...list('runtime', 'extension', ['log', 'pid', 'sock']),
  ...list('runtime', 'segment', ['.ds_store', 'thumbs.db']),
  ...list('ide', 'segment', ['.vscode', '.idea', '.project', '.classpath', '.settings', '.ds_store']),
]);
