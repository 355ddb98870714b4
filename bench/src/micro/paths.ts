// A realistic mix of request paths for the path guards: mostly ordinary API and asset paths, some scanner probes,
// some encoded evasions. Every micro-benchmark of path handling cycles through all of them.

/** Ordinary paths an API and its front end serve. */
export const BENIGN_PATHS: readonly string[] = [
  '/',
  '/healthz',
  '/api/v1/status',
  '/api/v1/me',
  '/api/v1/agents',
  '/api/v1/agents/support-bot',
  '/api/v1/agents/support-bot/deploy',
  '/api/v1/keys/k_8f2a9c',
  '/api/v1/chat',
  '/api/v1/backups',
  '/docs/database/',
  '/docs/getting-started/install',
  '/assets/app.3f2a91c.js',
  '/assets/styles.9b1c.css',
  '/static/img/logo.svg',
  '/favicon.ico',
  '/robots.txt',
  '/.well-known/security.txt',
  '/login',
  '/plugins/sql/README',
  '/api/v1/agents/Support-Bot/Config',
  '/users/42/settings',
];

/** Probes and evasions a scanner sends. */
export const HOSTILE_PATHS: readonly string[] = [
  '/.env',
  '/.git/config',
  '/wp-config.php',
  '/backup/db.sql',
  '/.aws/credentials',
  '/phpinfo.php',
  '/static/..%2f.env',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/.ENV',
  '/config.php.bak',
  '/%252egit/HEAD',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/id_rsa',
  '/app/.DS_Store',
  '/．ｅｎｖ',
  '/cgi-bin/luci;stok=/locale',
  '/actuator/env',
];

/** Benign first, hostile after. */
export const PATH_MIX: readonly string[] = [...BENIGN_PATHS, ...HOSTILE_PATHS];

/**
 * The approach the issue compares against: one regex per sensitive pattern, tried in a loop on the raw path
 * (how Smarter's Django middleware did it). Built from the same categories as the shipped list.
 */
export const NAIVE_SENSITIVE_REGEXES: readonly RegExp[] = [
  ...['\\.env', '\\.git', '\\.svn', '\\.hg', '\\.bzr', '\\.aws', '\\.ssh', '\\.npmrc', '\\.pypirc', '\\.netrc'].map(
    (s) => new RegExp(`(^|/)${s}(/|$)`, 'i'),
  ),
  ...['pem', 'key', 'p12', 'pfx', 'jks', 'keystore', 'bak', 'old', 'orig', 'swp', 'sql', 'sqlite', 'sqlite3', 'db'].map(
    (e) => new RegExp(`\\.${e}$`, 'i'),
  ),
  ...['dump', 'lock', 'log', 'pid', 'sock'].map((e) => new RegExp(`\\.${e}$`, 'i')),
  ...[
    'id_rsa',
    'id_dsa',
    'id_ecdsa',
    'id_ed25519',
    'credentials\\.json',
    'secrets\\.json',
    'kubeconfig',
    'wp-config\\.php',
    'config\\.php',
    'settings\\.py',
    'web\\.config',
    '\\.htaccess',
    '\\.htpasswd',
    'php\\.ini',
    'docker-compose\\.yml',
    'phpinfo\\.php',
    'info\\.php',
    'phpmyadmin',
    'wp-login\\.php',
    'wp-admin',
    'server-status',
    'actuator',
    'cgi-bin',
    'vendor/phpunit',
    'package\\.json',
    'composer\\.json',
    'gemfile',
    'pipfile',
    'requirements\\.txt',
    '\\.vscode',
    '\\.idea',
    '\\.ds_store',
    '\\.docker/config\\.json',
  ].map((s) => new RegExp(`(^|/)${s}(/|$)`, 'i')),
  /~$/,
];
