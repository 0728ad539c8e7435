import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  /** Runs doveadm against this instance (e.g. to change a mailbox's UIDVALIDITY in a test). */
  doveadm(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const BINARIES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];

/** A free TCP port on loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`Dovecot did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/**
 * Starts a private Dovecot (Debian's dovecot-imapd) on a free loopback port,
 * with its config, state and Maildir under a new temp dir. Any user name logs
 * in with the given password. Never touches the system's Dovecot or ports.
 */
export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<DovecotServer> {
  const binary = BINARIES.find((b) => existsSync(b));
  if (!binary) throw new Error('Dovecot is not installed: run `bash deploy/dev-deps.sh` (installs dovecot-imapd)');
  const user = opts.user ?? 'abuse';
  const password = opts.password ?? 'abuse-desk-dev';
  const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-dovecot-'));
  chmodSync(dir, 0o755);
  const mailDir = join(dir, 'mail');
  mkdirSync(mailDir);
  mkdirSync(join(dir, 'run'));
  mkdirSync(join(dir, 'state'));
  const port = await freePort();

  // As root, mail is owned by the dovecot user (Dovecot refuses to run mail
  // processes as root); otherwise everything runs as the current user.
  const me = userInfo();
  const isRoot = me.uid === 0;
  let mailUser = me.username;
  if (isRoot) {
    const passwd = readFileSync('/etc/passwd', 'utf8');
    const line = passwd.split('\n').find((l) => l.startsWith('dovecot:'));
    if (!line) throw new Error('the dovecot system user is missing; reinstall dovecot-core');
    const [, , uid, gid] = line.split(':');
    chownSync(mailDir, Number(uid), Number(gid));
    mailUser = 'dovecot';
  }
  const conf = `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = abuse-desk-${port}
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = mdbox:${mailDir}/%u
# A throw-away dev/test server: mdbox and no fsync take APPEND from ~300/s
# (Maildir, one uidlist lock per message) to a few thousand per second.
mail_fsync = never
first_valid_uid = 1
${isRoot ? '' : `default_login_user = ${me.username}\ndefault_internal_user = ${me.username}\n`}
passdb {
  driver = static
  args = password=${password}
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${isRoot ? 'dovecot' : me.gid} home=${mailDir}/%u
}
# No chroot: it needs root, and these processes may run as an ordinary user.
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
protocol imap {
  mail_max_userip_connections = 200
  imap_idle_notify_interval = 1 secs
}
`;
  writeFileSync(join(dir, 'dovecot.conf'), conf);
  const child: ChildProcess = spawn(binary, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test or bench that crashes must not leave a Dovecot behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  try {
    await Promise.race([
      waitForPort(port, 10_000),
      exited.then(() => {
        throw new Error(`Dovecot exited at start: ${stderr.trim() || readLog(dir)}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    async doveadm(args) {
      const doveadm = ['/usr/bin/doveadm', '/usr/local/bin/doveadm'].find((b) => existsSync(b));
      if (!doveadm) throw new Error('doveadm is not installed (it comes with dovecot-core)');
      const { stdout } = await promisify(execFile)(doveadm, ['-c', join(dir, 'dovecot.conf'), ...args]);
      return stdout;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'dovecot.log'), 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}
