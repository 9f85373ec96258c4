#!/usr/bin/env python3
"""Differential test of the startup-chain simulator on real dotfiles homes.

Driven by tests/homes_differential.sh, which checks the prerequisites and runs
this inside private mount and UTS namespaces (so every bind mount disappears
with the process, whatever way it ends). For each home of the corpus
(shared/corpus/homes/NAME: repo/, install.tsv, meta.json) it:

  1. installs the home into a fake root under the work directory exactly as
     install.tsv says: links as the install makes them (absolute to the clone,
     relative for GNU stow), copies where the install copies or writes,
     the clone as a real directory where a row marks the clone location,
     generated files, the system file lines of meta.json, the directories
     the install comments pre-create, and a Go setup for homes with go_lines;
  2. adds a small Debian 12 system: /etc/profile, /etc/bash.bashrc,
     /etc/zsh/*, /etc/login.defs as Debian ships them, and the host's /usr
     bind-mounted read-only;
  3. runs `golint-env env --root` for each shell the home configures, then the
     real shell in each context, chrooted, from the starting environment
     golint-env assumes, and compares PATH (ordered), the Go variables and the
     set of exported names.

Nothing is written outside the work directory; the corpus is only read.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

GO_VARS = ("GOPATH", "GOROOT", "GOBIN", "GOPROXY")

# Names left out of the exported-names comparison, and why:
#  - PWD, OLDPWD, SHLVL, _: every shell sets and exports them itself;
#  - TERM, COLUMNS, LINES: the terminal's, not the startup files';
#  - SSH_CLIENT, SSH_CONNECTION: put into the starting environment here to
#    stand for sshd (bash reads ~/.bashrc when it sees them), not something
#    the startup files set;
#  - BASH_FUNC_name%%: bash's encoding of `export -f` functions, which are not
#    variables (golint-env models variables only).
# zsh also exports LOGNAME when it is unset; the starting environment always
# has it, so it needs no exclusion.
EXCLUDED = {"PWD", "OLDPWD", "SHLVL", "_", "TERM", "COLUMNS", "LINES",
            "SSH_CLIENT", "SSH_CONNECTION"}


def excluded(name):
    return name in EXCLUDED or (name.startswith("BASH_FUNC_") and name.endswith("%%"))


# How each context is started. The dump replaces the shell (exec) so logout
# files and EXIT traps do not run; `>|` survives noclobber; an absolute env
# path escapes aliases, functions and whatever PATH the files built.
DUMP = "exec /usr/bin/env -0 >| /tmp/.homes_differential.env"
CONTEXT_ARGV = {
    "terminal": ["-i", "-c"],
    "login": ["-l", "-i", "-c"],
    "ssh-command": ["-c"],   # sshd: argv[0] without '-', SSH_CLIENT set
    "script": ["-c"],
    "desktop": ["-l", "-c"],  # display manager: /bin/sh -l reading ~/.profile
}
# A shell run that takes longer than this is killed (rc files that wait for
# the network or a prompt); its context is reported and not compared. The
# slowest honest runs (zsh's compinit over Debian's completion functions)
# take ~4 s alone and ~16 s on a machine loaded eight times over.
SHELL_TIMEOUT = int(os.environ.get("DIFF_SHELL_TIMEOUT", "30"))

lock = threading.Lock()


def log(msg):
    with lock:
        print(msg, flush=True)


# ---- the Debian system files ------------------------------------------------

def debian_conffile(pkg, path):
    """The host's copy of a Debian conffile, only if unmodified (md5 as
    dpkg recorded it), so every machine builds the same system."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Conffiles}\n", pkg],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 2 and f[0] == path and os.path.isfile(path):
            with open(path, "rb") as fh:
                data = fh.read()
            if hashlib.md5(data).hexdigest() == f[1]:
                return data
    return None


def system_files():
    files = {}
    # /etc/profile is written by base-files' postinst from this template
    try:
        with open("/usr/share/base-files/profile", "rb") as fh:
            files["/etc/profile"] = fh.read()
    except OSError:
        pass
    for pkg, path in (("bash", "/etc/bash.bashrc"), ("login", "/etc/login.defs"),
                      ("zsh-common", "/etc/zsh/zshenv"), ("zsh-common", "/etc/zsh/zprofile"),
                      ("zsh-common", "/etc/zsh/zshrc"), ("zsh-common", "/etc/zsh/zlogin"),
                      ("zsh-common", "/etc/zsh/zlogout"),
                      # with the host's /usr comes its bash-completion, if any: its hooks too
                      ("bash-completion", "/etc/bash_completion"),
                      ("bash-completion", "/etc/profile.d/bash_completion.sh")):
        data = debian_conffile(pkg, path)
        if data is not None:
            files[path] = data
    files["/etc/environment"] = b""
    return files


def system_links(root):
    """Links of /etc that the host's /usr needs: alternatives (awk, editor,
    pager ... are links through /etc/alternatives) and os-release (read by
    Debian's /etc/zsh/zshrc)."""
    if os.path.islink("/etc/os-release"):
        os.symlink(os.readlink("/etc/os-release"), root + "/etc/os-release")
    if os.path.isdir("/etc/alternatives"):
        os.makedirs(root + "/etc/alternatives")
        for n in os.listdir("/etc/alternatives"):
            p = os.path.join("/etc/alternatives", n)
            if os.path.islink(p):
                os.symlink(os.readlink(p), os.path.join(root, "etc/alternatives", n))


# ---- installing a home ------------------------------------------------------

def brace_expand(word):
    m = re.search(r"\{([^{}]*)\}", word)
    if not m:
        return [word]
    out = []
    for alt in m.group(1).split(","):
        out.extend(brace_expand(word[:m.start()] + alt + word[m.end():]))
    return out


class Home:
    def __init__(self, corpus, name):
        self.name = name
        self.dir = os.path.join(corpus, "homes", name)
        with open(os.path.join(self.dir, "meta.json")) as fh:
            self.meta = json.load(fh)
        self.rows, self.comments = [], []
        with open(os.path.join(self.dir, "install.tsv")) as fh:
            for i, line in enumerate(fh):
                line = line.rstrip("\n")
                if i == 0 or not line.strip():
                    continue
                if line.startswith("#"):
                    self.comments.append(line[1:].strip())
                    continue
                link, target = line.split("\t", 1)
                self.rows.append((link, target))
        method = self.comments[0] if self.comments else ""
        # The first comment quotes the install method (see the corpus README).
        self.copies = bool(re.search(r"\bCOPIES\b|rows (below )?are copies|WRITES \(not links\)", method))
        self.stow = "stow" in method.lower()
        clone_at = self.meta.get("clone_at")
        self.user = "u"
        if clone_at and clone_at.startswith("/home/"):
            self.user = clone_at.split("/")[2]
        self.home = "/home/" + self.user
        if clone_at:
            clone_at = clone_at.replace("$USER", self.user)
            self.clone = clone_at if clone_at.startswith("/") else self.home + "/" + clone_at
        else:
            self.clone = self.home + "/dotfiles"
        marked = set()
        for c in self.comments:
            m = re.match(r"clone location[^:]*:\s*~/(\S+)", c)
            if m:
                marked.add(m.group(1))
        self.clone_rows = {link for link, target in self.rows
                           if target == "." and (link in marked or self.home + "/" + link == self.clone)}
        if self.clone_rows:
            self.clone = self.home + "/" + sorted(self.clone_rows)[0]
        self.shells = self.meta.get("shells") or [self.meta.get("shell", "bash")]
        self.go = bool(self.meta.get("go_lines"))

    def mkdirs(self):
        """Directories the install pre-creates (`mkdir -p` in its comments)."""
        dirs = []
        for c in self.comments:
            for m in re.finditer(r"mkdir -p((?: +~/[\w./{},-]+)+)", c):
                for word in m.group(1).split():
                    dirs.extend(brace_expand(word))
        return [self.home + d[1:] for d in dirs]

    def install(self, root):
        """Build the home under root (a machine path /home/u -> root/home/u)."""
        def host(p):
            # Links made so far are the machine's (absolute ones point into
            # the root, not the host): never create or write through one.
            q = root + p
            real = os.path.realpath(os.path.dirname(q))
            if real != root and not real.startswith(root + "/"):
                raise RuntimeError("%s would leave the root (through a link)" % p)
            return q
        os.makedirs(host(self.home), exist_ok=True)
        for d in self.mkdirs():
            os.makedirs(host(d), exist_ok=True)
        repo = os.path.join(self.dir, "repo")
        if not self.copies:
            copy_tree(repo, host(self.clone))
            deps = os.path.join(self.dir, "deps")
            if os.path.isdir(deps):
                copy_tree(deps, host(os.path.normpath(self.clone + "/../deps")))
        for link, target in self.rows:
            if link in self.clone_rows:
                continue
            dst = host(self.home + "/" + link)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if os.path.lexists(dst):
                remove(dst)
            if self.copies:
                src = os.path.normpath(os.path.join(repo, target))
                if os.path.isdir(src) and not os.path.islink(src):
                    copy_tree(src, dst)
                else:
                    shutil.copy2(src, dst, follow_symlinks=False)
                continue
            to = os.path.normpath(self.clone + "/" + target) if target != "." else self.clone
            if self.stow:  # GNU stow makes relative links
                to = os.path.relpath(to, os.path.dirname(self.home + "/" + link))
            os.symlink(to, dst)
        for rel, text in (self.meta.get("generated_files") or {}).items():
            dst = host(self.home + "/" + rel)
            if os.path.lexists(dst):
                remove(dst)
            with open(dst, "w") as fh:
                fh.write(text)
        for path, how in (self.meta.get("system_files") or {}).items():
            m = re.search(r"appends the line: (.*)$", how)
            if m:
                os.makedirs(os.path.dirname(host(path)), exist_ok=True)
                with open(host(path), "a") as fh:
                    fh.write(m.group(1) + "\n")
        restore_symlinks(root + self.home)
        if self.go:
            go_setup(root, self.home)


def restore_symlinks(top):
    """The corpus holds the repositories' symlinks the way git writes them
    without core.symlinks: a small file whose whole text (no newline) is the
    target (voidrice's .zprofile -> .config/shell/profile, brodierobertson's
    .bash_profile -> .profile, prezto's prompt links). Make them links again
    when the text names an existing file beside it, or is one of the
    dangling kinds the corpus README lists (/home/... and ../...)."""
    for d, dirs, files in os.walk(top):
        for f in files:
            p = os.path.join(d, f)
            if os.path.islink(p) or os.path.getsize(p) >= 256:
                continue
            with open(p, "rb") as fh:
                b = fh.read()
            if not b or b.endswith(b"\n") or not re.fullmatch(rb"[^\s]+", b):
                continue
            t = b.decode("utf-8", "replace")
            if (not t.startswith("/") and os.path.exists(os.path.join(d, t))) \
                    or t.startswith("/home/") or t.startswith("../"):
                os.unlink(p)
                os.symlink(t, p)


def copy_tree(src, dst):
    shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True)


def remove(p):
    if os.path.isdir(p) and not os.path.islink(p):
        shutil.rmtree(p)
    else:
        os.unlink(p)


def go_setup(root, home):
    """Go as its upstream tarball installs it: /usr/local/go with bin/go and
    VERSION, /usr/local/go/bin on PATH through /etc/profile.d (what Go's
    install page asks for), and the default GOPATH's bin, which exists after
    the first `go install`."""
    goroot = root + "/usr/local/go"
    os.makedirs(goroot + "/bin", exist_ok=True)
    with open(goroot + "/VERSION", "w") as fh:
        fh.write("go1.22.5\ntime 2024-06-27T20:11:12Z\n")
    with open(goroot + "/bin/go", "w") as fh:
        fh.write('#!/bin/sh\n# stands for the go command: startup files only test for it\n'
                 'case "$1" in version) echo "go version go1.22.5 linux/amd64";; esac\n')
    os.chmod(goroot + "/bin/go", 0o755)
    os.makedirs(root + "/etc/profile.d", exist_ok=True)
    with open(root + "/etc/profile.d/golang.sh", "w") as fh:
        fh.write('# Go from the upstream tarball\nif [ -d /usr/local/go/bin ]; then\n'
                 '    export PATH="$PATH:/usr/local/go/bin"\nfi\n')
    os.makedirs(root + home + "/go/bin", exist_ok=True)


def relative_links(root, home):
    """Diagnosis only (DIFF_RELATIVE_LINKS=1): the home's absolute links made
    relative. The shells see the same files either way; a simulator that
    resolves links on the host instead of in the root does not, so this
    shows what its other gaps are."""
    for d, dirs, files in os.walk(root + home):
        for n in dirs + files:
            p = os.path.join(d, n)
            if os.path.islink(p) and os.readlink(p).startswith("/"):
                machine_dir = os.path.dirname(p)[len(root):]
                to = os.path.relpath(os.readlink(p), machine_dir)
                os.unlink(p)
                os.symlink(to, p)


def writable_and_owned(top, uid, gid):
    """The corpus may be read-only; a real install leaves the user's files
    writable and owned by the user."""
    for d, dirs, files in os.walk(top):
        for p in [d] + [os.path.join(d, f) for f in files + dirs]:
            st = os.lstat(p)
            if not os.path.islink(p):
                os.chmod(p, (st.st_mode & 0o7777) | 0o200)
            os.lchown(p, uid, gid)


# ---- the machine ------------------------------------------------------------

def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


class Machine:
    """A fake root: the home, Debian's system files and the host's /usr
    bind-mounted read-only. A pristine copy of what the shells may write
    (the home, /tmp) is restored before each shell run, so contexts do not
    see each other's side effects (mkdir -p $GOPATH, .zcompdump, history)."""
    UID = GID = 1000

    def __init__(self, work, home, sysfiles, shell):
        self.home = home
        self.root = os.path.join(work, home.name, "root")
        self.pristine = os.path.join(work, home.name, "pristine")
        self.mounts = []
        self.shell = shell
        root = self.root
        os.makedirs(root, exist_ok=False)
        for d in ("etc/profile.d", "etc/zsh", "usr/local/bin", "tmp", "dev", "var/tmp"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        os.chmod(root + "/tmp", 0o1777)
        for path, data in sysfiles.items():
            with open(root + path, "wb") as fh:
                fh.write(data)
        system_links(root)
        with open(root + "/etc/hostname", "w") as fh:
            fh.write("polarbear\n")
        with open(root + "/etc/group", "w") as fh:
            fh.write("root:x:0:\n%s:x:%d:\n" % (home.user, self.GID))
        self.write_passwd(shell)
        home.install(root)
        if os.environ.get("DIFF_RELATIVE_LINKS"):
            relative_links(root, home.home)
        writable_and_owned(root + home.home, self.UID, self.GID)
        for link in ("bin", "lib", "lib64", "sbin"):
            if os.path.islink("/" + link):
                os.symlink(os.readlink("/" + link), os.path.join(root, link))
        for d in ("/usr/bin", "/usr/lib", "/usr/lib64", "/usr/share", "/usr/sbin", "/usr/libexec"):
            if os.path.isdir(d) and not os.path.islink(d):
                self.bind_ro(d, root + d)
        open(root + "/dev/null", "w").close()
        self.bind("/dev/null", root + "/dev/null")
        # process substitution (`. <(gh completion -s bash)`) needs /dev/fd
        os.makedirs(root + "/proc")
        run(["mount", "-t", "proc", "-o", "nosuid,nodev,noexec", "proc", root + "/proc"])
        self.mounts.append(root + "/proc")
        for i, n in enumerate(("stdin", "stdout", "stderr")):
            os.symlink("/proc/self/fd/%d" % i, root + "/dev/" + n)
        os.symlink("/proc/self/fd", root + "/dev/fd")
        os.makedirs(self.pristine)
        run(["cp", "-a", root + home.home, self.pristine + "/home"])
        self.overlay = True
        try:
            self.mount_home()
        except subprocess.CalledProcessError:
            self.overlay = False  # no overlayfs here: reset copies the home back

    def write_passwd(self, shell):
        self.shell = shell
        with open(self.root + "/etc/passwd", "w") as fh:
            fh.write("root:x:0:0:root:/root:/bin/bash\n%s:x:%d:%d:%s:%s:/bin/%s\n"
                     % (self.home.user, self.UID, self.GID, self.home.user, self.home.home, shell))

    def bind(self, src, dst):
        run(["mount", "--bind", src, dst])
        self.mounts.append(dst)

    def bind_ro(self, src, dst):
        os.makedirs(dst, exist_ok=True)
        self.bind(src, dst)
        # never go on with a writable view of the host's /usr
        run(["mount", "-o", "remount,ro,bind", dst])

    def mount_home(self):
        """The home as an overlay on the pristine copy: what a shell writes
        lands in a scratch layer, so a reset is a remount, not a copy."""
        upper, wdir = self.pristine + ".upper", self.pristine + ".work"
        for d in (upper, wdir):
            if os.path.exists(d):
                shutil.rmtree(d)
            os.makedirs(d)
        st = os.stat(self.pristine + "/home")
        os.chown(upper, st.st_uid, st.st_gid)  # the mount's root takes these
        os.chmod(upper, st.st_mode & 0o7777)
        run(["mount", "-t", "overlay", "overlay", "-o",
             "lowerdir=%s/home,upperdir=%s,workdir=%s" % (self.pristine, upper, wdir),
             self.root + self.home.home], stderr=subprocess.DEVNULL)
        self.mounts.append(self.root + self.home.home)

    def reset(self):
        h = self.root + self.home.home
        if self.overlay:
            run(["umount", h])
            self.mounts.remove(h)
            self.mount_home()
        else:
            shutil.rmtree(h)
            run(["cp", "-a", self.pristine + "/home", h])
        for e in os.listdir(self.root + "/tmp"):
            remove(os.path.join(self.root, "tmp", e))

    def close(self):
        for m in reversed(self.mounts):
            subprocess.run(["umount", m], stderr=subprocess.DEVNULL)
        self.mounts = []

    def golint_env(self, binary):
        cmd = [binary, "env", "--root", self.root, "--user", self.home.user, "--home",
               self.home.home, "--shell", self.shell, "--format", "json", "--fail-on", "none",
               "--offline"]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            return None, "no answer in 120 s", cmd
        if p.returncode != 0:
            return None, "exit %d: %s" % (p.returncode, p.stderr.strip()[:400]), cmd
        try:
            return json.loads(p.stdout), None, cmd
        except ValueError as e:
            return None, "output is not JSON: %s" % e, cmd

    def real_shell(self, ctx, base, trace=False):
        """The real shell in context ctx: (env or None, why not, stderr, argv).
        With trace, the shell also writes each file it reads to stderr."""
        self.reset()
        shell = "sh" if ctx == "desktop" else self.shell
        env = dict(base)
        tracing = []
        if trace and shell == "bash":
            env["PS4"] = "+${BASH_SOURCE[0]}|"
            tracing = ["-x"]
        elif trace and shell == "zsh":
            tracing = ["-o", "sourcetrace"]
        if ctx in ("terminal", "login"):
            env.setdefault("TERM", "dumb")  # a terminal has one; excluded from comparison
        if ctx == "ssh-command":
            env["SSH_CLIENT"] = "192.0.2.1 50000 22"
            env["SSH_CONNECTION"] = "192.0.2.1 50000 192.0.2.2 22"
        argv = [shell] + tracing + CONTEXT_ARGV[ctx] + [DUMP]
        # private pid and network namespaces: whatever the files start in the
        # background dies with the shell, and nothing reaches the network
        cmd = (["timeout", "-k", "2", str(SHELL_TIMEOUT),
                "unshare", "--pid", "--fork", "--kill-child", "--net", "--ipc",
                "chroot", "--userspec=%d:%d" % (self.UID, self.GID), self.root,
                "/usr/bin/env", "-i"] + ["%s=%s" % kv for kv in sorted(env.items())]
               + ["/bin/sh", "-c", 'cd "$HOME" 2>/dev/null; exec "$@"', "sh"] + argv)
        errf = os.path.join(os.path.dirname(self.root), "stderr")
        t0 = time.monotonic()
        with open(errf, "wb") as err:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        self.elapsed = time.monotonic() - t0
        with open(errf, "rb") as fh:
            stderr = fh.read().decode("utf-8", "replace")
        dump = self.root + "/tmp/.homes_differential.env"
        if not os.path.exists(dump):
            why = "timed out after %ds" % SHELL_TIMEOUT if p.returncode in (124, 137, -9, -15) else \
                "exited %d before the command ran" % p.returncode
            return None, why, stderr, argv
        with open(dump, "rb") as fh:
            data = fh.read().decode("utf-8", "surrogateescape")
        out = {}
        for item in data.split("\0"):
            if "=" in item:
                k, v = item.split("=", 1)
                out[k] = v
        return out, None, stderr, argv


# ---- comparing ----------------------------------------------------------------

def base_env(ctx):
    """The environment golint-env starts the context from: the values of its
    non-shell layers (passwd, login.defs, /etc/environment, sshd's PATH),
    i.e. every leading `source` op except the go env file, which Go reads and
    the shell does not."""
    base = {}
    for var, v in ctx["variables"].items():
        for op in v.get("history") or []:
            if op["op"] != "source" or (op.get("file") or "").endswith("/go/env"):
                break
            if op.get("value") is not None:
                base[var] = op["value"]
    return base


def context_certain(ctx):
    """Whether golint-env marked the context certain: its own flag if the
    JSON has one, else every exported variable certain (values it would
    hand to a Go process), PATH and the Go variables included."""
    if "certain" in ctx:
        return bool(ctx["certain"])
    if "approximate" in ctx:
        return not ctx["approximate"]
    for name, v in ctx["variables"].items():
        if (v.get("exported") or name == "PATH" or name in GO_VARS) and not v.get("certain", True):
            return False
    return True


def sim_exported(ctx):
    return {n: v["value"] for n, v in ctx["variables"].items()
            if v.get("exported") and v.get("value") is not None}


def where(op_or_entry):
    f = op_or_entry.get("file")
    return "%s:%s" % (f, op_or_entry.get("line")) if f else "(default)"


def compare(ctx, real):
    sim = sim_exported(ctx)
    certain = context_certain(ctx)
    r = {"certain": certain, "detail": []}
    rp = real.get("PATH")
    sp = sim.get("PATH")
    r["path_ok"] = rp == sp
    if not r["path_ok"]:
        rl = rp.split(":") if rp is not None else []
        sl = sp.split(":") if sp is not None else []
        i = 0
        while i < min(len(rl), len(sl)) and rl[i] == sl[i]:
            i += 1
        entries = (ctx["variables"].get("PATH") or {}).get("entries") or []
        src = " (golint-env: from %s)" % where(entries[i]) if i < len(entries) else ""
        r["detail"].append("PATH differs at entry %d: shell %r, golint-env %r%s\n"
                           "      shell:      %s\n      golint-env: %s%s"
                           % (i + 1, rl[i] if i < len(rl) else None, sl[i] if i < len(sl) else None,
                              src, rp, sp, "" if (ctx["variables"].get("PATH") or {}).get("certain", True)
                              else "  [uncertain]"))
    r["go_wrong"] = r["go_uncertain"] = 0
    for g in GO_VARS:
        v = ctx["variables"].get(g)
        if real.get(g) == sim.get(g):
            continue
        sure = v.get("certain", True) if v else certain
        if sure:
            r["go_wrong"] += 1
        else:
            r["go_uncertain"] += 1
        hist = (v or {}).get("history") or []
        last = " (golint-env: last set at %s)" % where(hist[-1]) if hist else ""
        r["detail"].append("%s: shell %r, golint-env %r [%s]%s"
                           % (g, real.get(g), sim.get(g), "certain" if sure else "uncertain", last))
    rn = {n for n in real if not excluded(n)}
    sn = {n for n in sim if not excluded(n)}
    union = rn | sn
    r["names"] = 100.0 * len(rn & sn) / len(union) if union else 100.0
    if rn != sn:
        r["detail"].append("exported names only in the shell: %s\n      only in golint-env: %s"
                           % (" ".join(sorted(rn - sn)) or "-", " ".join(sorted(sn - rn)) or "-"))
    return r


def files_differ(ctx, trace):
    """Startup files read by one side only: the shell's from its trace
    (bash -x with BASH_SOURCE in PS4: files that ran a command; zsh's
    SOURCE_TRACE: every file), golint-env's from its chain. Best effort: a
    file that sets PS4 (prezto does) hides the files after it from the
    trace, and they show up as read by golint-env only."""
    shell = []
    for line in trace.splitlines():
        m = re.match(r"^\++(/[^|]*)\|", line) or re.match(r"^\+(/.*?):\d+> <sourcetrace>", line)
        if m and m.group(1) not in shell:
            shell.append(m.group(1))
    layers = ("/etc/login.defs", "/etc/environment", "/etc/passwd")
    sim = [f["file"] for f in ctx.get("files") or []
           if f.get("file") not in layers and not f.get("file", "").endswith("/go/env")]
    return ("files only the shell read: %s\n      files only golint-env read: %s"
            % (" ".join(f for f in shell if f not in sim) or "-",
               " ".join(f for f in sim if f not in shell) or "-"))


# ---- driver -------------------------------------------------------------------

def do_home(args, corpus, name, sysfiles):
    home = Home(corpus, name)
    rows, notes = [], []
    machine = None
    try:
        machine = Machine(args.work, home, sysfiles, home.shells[0])
        desktop_done = False
        for shell in home.shells:
            if shell not in ("bash", "zsh"):
                continue
            machine.write_passwd(shell)
            machine.reset()
            doc, err, cmd = machine.golint_env(args.binary)
            if doc is None:
                notes.append("%s: golint-env env failed (%s): %s" % (name, " ".join(cmd), err))
                rows.append({"home": name, "shell": shell, "ctx": "*", "error": "golint-env failed"})
                continue
            for ctx in doc["contexts"]:
                cname = ctx["name"]
                if cname not in CONTEXT_ARGV:
                    continue  # cron, systemd units: no startup files of the home
                if cname == "desktop":
                    if desktop_done:
                        continue  # /bin/sh -l reads the same files whatever the login shell
                    desktop_done = True
                real, why, stderr, argv = machine.real_shell(cname, base_env(ctx))
                row = {"home": name, "shell": "sh" if cname == "desktop" else shell, "ctx": cname,
                       "secs": machine.elapsed}
                if real is None:
                    row["error"] = "shell " + why
                    row["certain"] = context_certain(ctx)
                    row["detail"] = ["real shell (%s) %s; stderr:\n        %s"
                                     % (" ".join(argv[:-1]), why,
                                        stderr.strip()[-800:].replace("\n", "\n        "))]
                else:
                    row.update(compare(ctx, real))
                    if args.verbose and row["detail"] and cname != "desktop":
                        _, _, trace, _ = machine.real_shell(cname, base_env(ctx), trace=True)
                        row["detail"].append(files_differ(ctx, trace))
                    if row["detail"] and stderr.strip():
                        row["detail"].append("shell stderr (last lines):\n        " + "\n        ".join(
                            stderr.strip().splitlines()[-6:]))
                rows.append(row)
    except Exception as e:  # a home that cannot be built is reported, the rest go on
        notes.append("%s: could not be set up: %s: %s" % (name, type(e).__name__, e))
        rows.append({"home": name, "shell": "-", "ctx": "*", "error": "setup failed"})
    finally:
        if machine:
            machine.close()
    log("  %s: %d contexts" % (name, len(rows)))
    return rows, notes


def pct(n, d):
    return "n/a" if d == 0 else "%.1f%%" % (100.0 * n / d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--path-certain-min", type=float, required=True)
    ap.add_argument("--path-terminal-login-min", type=float, required=True)
    ap.add_argument("--go-wrong-max", type=int, required=True)
    ap.add_argument("--names-min", type=float, required=True)
    ap.add_argument("--floor-path-certain", type=float, required=True)
    ap.add_argument("--floor-path-terminal-login", type=float, required=True)
    ap.add_argument("--floor-go-wrong", type=int, required=True)
    ap.add_argument("--floor-names", type=float, required=True)
    ap.add_argument("--floor-names-terminal-login", type=float, required=True)
    ap.add_argument("homes", nargs="*")
    args = ap.parse_args()

    homes_dir = os.path.join(args.corpus, "homes")
    names = args.homes or sorted(n for n in os.listdir(homes_dir)
                                 if os.path.isfile(os.path.join(homes_dir, n, "install.tsv")))
    for n in names:
        if not os.path.isfile(os.path.join(homes_dir, n, "install.tsv")):
            print("no home %r in %s" % (n, homes_dir), file=sys.stderr)
            return 2
    sysfiles = system_files()
    log("homes_differential: %d homes, %d at a time, system files: %s"
        % (len(names), args.jobs, " ".join(sorted(sysfiles))))
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda n: do_home(args, args.corpus, n, sysfiles), names))
    rows = [r for rs, _ in results for r in rs]
    notes = [n for _, ns in results for n in ns]

    def go_cell(r):
        if r["go_wrong"]:
            return "WRONG(%d)" % r["go_wrong"]
        return "uncertain" if r["go_uncertain"] else "ok"

    print()
    print("%-22s %-5s %-12s %-5s %-10s %-7s %-8s" % ("home", "shell", "context", "PATH", "Go vars",
                                                   "names", "certain"))
    for r in rows:
        if "error" in r:
            print("%-22s %-5s %-12s %s%s" % (r["home"], r["shell"], r["ctx"], r["error"],
                                             "" if "certain" not in r else
                                             "  (golint-env %s)" % ("certain" if r["certain"] else "uncertain")))
        else:
            print("%-22s %-5s %-12s %-5s %-10s %-7s %-8s"
                  % (r["home"], r["shell"], r["ctx"], "y" if r["path_ok"] else "n", go_cell(r),
                     "%.0f%%" % r["names"], "yes" if r["certain"] else "no"))
        if args.verbose and r.get("detail"):
            for d in r["detail"]:
                print("    - " + d)
    for n in notes:
        print("note: " + n)

    ok_rows = [r for r in rows if "error" not in r]
    certain = [r for r in ok_rows if r["certain"]]
    tl = [r for r in ok_rows if r["ctx"] in ("terminal", "login")]
    failed = [r for r in rows if "error" in r]
    # golint-env failing, or a home that cannot be built, fails the test
    # whatever the figures; a shell that gave nothing is only reported
    broken = [r for r in failed if r["ctx"] == "*"]
    go_wrong = sum(r["go_wrong"] for r in ok_rows)
    go_unc = sum(r["go_uncertain"] for r in ok_rows)

    def names_mean(rs):
        return sum(r["names"] for r in rs) / len(rs) if rs else None

    p_c = 100.0 * sum(r["path_ok"] for r in certain) / len(certain) if certain else None
    p_tl = 100.0 * sum(r["path_ok"] for r in tl) / len(tl) if tl else None
    n_c, n_tl = names_mean(certain), names_mean(tl)
    print()
    print("contexts compared: %d (%d marked certain by golint-env, %d terminal+login); "
          "not compared: %d (real shell gave no environment, or setup failed)"
          % (len(ok_rows), len(certain), len(tl), len(failed)))

    by_ctx = {}
    for r in ok_rows:
        c = by_ctx.setdefault(r["ctx"], [0, 0])
        c[0] += r["path_ok"]
        c[1] += 1
    print("PATH exact per context: " + ", ".join(
        "%s %d/%d" % (c, by_ctx[c][0], by_ctx[c][1]) for c in CONTEXT_ARGV if c in by_ctx))
    slow = sorted((r for r in rows if "secs" in r), key=lambda r: -r["secs"])[:3]
    print("slowest shell runs: " + ", ".join("%s %s %s %.1fs" % (r["home"], r["shell"], r["ctx"], r["secs"])
                                             for r in slow))
    checks = []

    def check(label, value, target, floor, higher=True, fmt="%.1f%%"):
        """Print the figure against the target; fail only past the floor (the
        figure reached so far: a change that makes the simulator worse fails)."""
        if value is None:
            print("  %-52s n/a (no such context)" % label)
            return
        def meets(limit):
            return value >= limit if higher else value <= limit
        rel = ">=" if higher else "<="
        state = "ok" if meets(target) else "BELOW TARGET"
        if not meets(floor):
            state = "REGRESSION (floor %s %s)" % (rel, fmt % floor)
        print("  %-52s %s  (target %s %s) %s" % (label, fmt % value, rel, fmt % target, state))
        checks.append(meets(floor))

    check("PATH exact, contexts golint-env marks certain:", p_c, args.path_certain_min,
          args.floor_path_certain)
    check("PATH exact, all terminal and login contexts:", p_tl, args.path_terminal_login_min,
          args.floor_path_terminal_login)
    check("Go variables certain and wrong:", go_wrong, args.go_wrong_max, args.floor_go_wrong,
          higher=False, fmt="%d")
    print("  %-52s %d" % ("Go variables wrong but marked uncertain:", go_unc))
    check("exported names agreement, certain contexts:", n_c, args.names_min, args.floor_names)
    check("exported names agreement, terminal and login:", n_tl, args.names_min,
          args.floor_names_terminal_login)
    if not args.verbose:
        print("(DIFF_VERBOSE=1 shows each mismatch: shell vs golint-env, first differing entry)")
    if broken:
        print("FAIL: %d home(s) not compared: golint-env failed or the home could not be built"
              % len(broken))
    return 0 if all(checks) and not broken else 1


if __name__ == "__main__":
    sys.exit(main())
