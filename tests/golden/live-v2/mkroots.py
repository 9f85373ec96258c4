#!/usr/bin/env python3
"""Regenerate the fake machines fixtures/roots/live-{v2,v1,hybrid}: faked
/proc and /sys/fs/cgroup, tiny ELF files with Go build info. Run from the
source tree: python3 tests/golden/live-v2/mkroots.py"""
import os, shutil, struct

EM = {"amd64": 62, "arm64": 183}

def elf(machine, version=None):
    """A 64-bit little-endian ELF with .shstrtab and, if version, .go.buildinfo."""
    shstr = b"\0.shstrtab\0.go.buildinfo\0"
    bi = b""
    if version:
        v = version.encode()
        bi = b"\xff Go buildinf:" + bytes([8, 2]) + b"\0" * 16 + bytes([len(v)]) + v + bytes([0])
    data_off = 64
    shstr_off = data_off
    bi_off = shstr_off + len(shstr)
    bi_off += (-bi_off) % 16
    sh_off = bi_off + len(bi)
    sh_off += (-sh_off) % 8
    nsec = 3 if version else 2
    hdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, EM[machine], 1, 0x401000, 0, sh_off, 0, 64, 56, 0, 64, nsec, 1)
    out = bytearray(hdr)
    out += shstr
    out += b"\0" * (bi_off - len(out))
    out += bi
    out += b"\0" * (sh_off - len(out))
    def sh(name, typ, off, size):
        return struct.pack("<IIQQQQIIQQ", name, typ, 0, 0, off, size, 0, 0, 1, 0)
    out += b"\0" * 64
    out += sh(1, 3, shstr_off, len(shstr))
    if version:
        out += sh(11, 1, bi_off, len(bi))
    return bytes(out)

def put(root, path, text, mode=0o644):
    p = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    os.chmod(p, mode)

def link(root, path, target):
    p = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    os.symlink(target, p)

LIMITS = """Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max file size             unlimited            unlimited            bytes     
Max data size             unlimited            unlimited            bytes     
Max stack size            8388608              unlimited            bytes     
Max core file size        0                    unlimited            bytes     
Max resident set          unlimited            unlimited            bytes     
Max processes             {np}                 {np}                 processes 
Max open files            {soft}                 {hard}               files     
Max locked memory         8388608              8388608              bytes     
"""

def proc(root, pid, name, ppid, threads, cpus, cgroup, mountinfo, soft, hard, nproc, nfds):
    d = "/proc/" + str(pid)
    put(root, d + "/status", f"Name:\t{name}\nState:\tS (sleeping)\nPid:\t{pid if pid != 'self' else 1234}\n"
        f"PPid:\t{ppid}\nThreads:\t{threads}\nCpus_allowed:\tff\nCpus_allowed_list:\t{cpus}\n")
    put(root, d + "/limits", LIMITS.format(soft=soft, hard=hard, np=nproc))
    put(root, d + "/cgroup", cgroup)
    put(root, d + "/mountinfo", mountinfo)
    for i in range(nfds):
        put(root, f"{d}/fd/{i}", "")

def kernel(root, nr_open=1048576, file_max=9223372036854775807, file_nr="1920\t0\t9223372036854775807",
           somaxconn=4096):
    put(root, "/proc/sys/fs/nr_open", f"{nr_open}\n")
    put(root, "/proc/sys/fs/file-max", f"{file_max}\n")
    put(root, "/proc/sys/fs/file-nr", file_nr + "\n")
    put(root, "/proc/sys/net/core/somaxconn", f"{somaxconn}\n")
    put(root, "/proc/sys/kernel/pid_max", "4194304\n")
    put(root, "/proc/sys/kernel/threads-max", "127357\n")
    put(root, "/proc/sys/kernel/arch", "x86_64\n")

PASSWD = "root:x:0:0:root:/root:/bin/bash\ngopher:x:1000:1000:Go Pher:/home/gopher:/bin/bash\n"

def v2(root):
    put(root, "README", "cgroup v2 machine: sysctl.d raises fs.nr_open but it was never applied (and limits.conf "
        "asks for more nofile than the live kernel allows); the terminal sets GOMAXPROCS=8 in a 2-CPU "
        "slice; the login shell finds an arm64 go first; gopls in ~/go/bin is arm64; api.service runs a "
        "Go 1.22 binary under a 1.5-CPU quota, its process 4242 leaks descriptors and has NPROC 32 and "
        "was started before LimitNOFILE=65536; worker.service sets GOMAXPROCS=16 under a 2-CPU slice\n")
    put(root, "/etc/passwd", PASSWD)
    put(root, "/etc/sysctl.d/99-go.conf", "# raise the per-process ceiling for Go services\nfs.nr_open = 2097152\n"
        "fs.file-max = 9223372036854775807\n")
    put(root, "/etc/security/limits.conf", "# gopher builds a lot\ngopher soft nofile 65536\ngopher hard nofile 2000000\n")
    put(root, "/etc/systemd/system/api.service", "[Unit]\nDescription=API\n\n[Service]\n"
        "ExecStart=/srv/api/api-server --listen :8080\nLimitNOFILE=65536\nCPUQuota=150%\n\n"
        "[Install]\nWantedBy=multi-user.target\n")
    put(root, "/etc/systemd/system/worker.service", "[Unit]\nDescription=worker\n\n[Service]\n"
        "Environment=GOMAXPROCS=16\nExecStart=/srv/worker/worker\n\n[Install]\nWantedBy=multi-user.target\n")
    put(root, "/home/gopher/.bashrc", "# ~/.bashrc\nexport GOPATH=$HOME/go\n"
        "export PATH=/usr/local/go/bin:$GOPATH/bin:/opt/missing/bin:$PATH\nexport GOMAXPROCS=8\n")
    put(root, "/home/gopher/.profile", "# ~/.profile\n. \"$HOME/.bashrc\"\n"
        "export PATH=/opt/go-arm64/bin:$PATH\n")
    put(root, "/usr/local/go/bin/go", elf("amd64", "go1.22.1"), 0o755)
    put(root, "/usr/local/go/VERSION", "go1.22.1\ntime 2024-03-05T20:37:06Z\n")
    put(root, "/opt/go-arm64/bin/go", elf("arm64", "go1.22.1"), 0o755)
    put(root, "/home/gopher/go/bin/gopls", elf("arm64", "go1.22.1"), 0o755)
    put(root, "/home/gopher/go/bin/dlv", elf("amd64", "go1.22.1"), 0o755)
    put(root, "/srv/api/api-server", elf("amd64", "go1.22.1"), 0o755)
    put(root, "/srv/worker/worker", elf("amd64", "go1.25.1"), 0o755)
    for d in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/local/sbin"]:
        put(root, d + "/.keep", "")
    kernel(root)
    mi = ("24 1 259:1 / / rw,relatime - ext4 /dev/root rw\n"
          "29 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n")
    proc(root, "self", "golint-env", 1000, 1, "0-3", "0::/user.slice/user-1000.slice/session-2.scope\n", mi,
         1024, 524288, 96365, 5)
    proc(root, 4242, "api-server", 1, 30, "0-3", "0::/system.slice/api.service\n", mi, 64, 64, 32, 60)
    put(root, "/proc/4242/environ", "LANG=C.UTF-8\0PATH=/usr/bin:/bin\0GOMAXPROCS=4\0INVOCATION_ID=x\0")
    link(root, "/proc/4242/exe", "/srv/api/api-server")
    proc(root, 4243, "api-helper", 4242, 2, "0-3", "0::/system.slice/api.service\n", mi, 64, 64, 32, 3)
    proc(root, 777, "sshd", 1, 1, "0-3", "0::/system.slice/ssh.service\n", mi, 1024, 524288, 96365, 4)
    cg = "/sys/fs/cgroup"
    put(root, cg + "/cpu.max", "max 100000\n")  # not in the root cgroup really; harmless
    put(root, cg + "/user.slice/cpu.max", "max 100000\n")
    put(root, cg + "/user.slice/user-1000.slice/cpu.max", "200000 100000\n")
    put(root, cg + "/user.slice/user-1000.slice/session-2.scope/cpu.max", "max 100000\n")
    put(root, cg + "/system.slice/cpu.max", "200000 100000\n")
    put(root, cg + "/system.slice/api.service/cpu.max", "150000 100000\n")
    put(root, cg + "/system.slice/worker.service/cpu.max", "max 100000\n")
    put(root, cg + "/system.slice/ssh.service/cpu.max", "max 100000\n")

def v1(root):
    put(root, "README", "cgroup v1 container-style machine: Go 1.25 reached through an absolute symlink "
        "(resolved inside the root) under a 0.5-CPU quota, with GODEBUG=containermaxprocs=0 turning "
        "the quota-aware default off; a looping go symlink in /usr/local/bin; the login shell runs a "
        "goenv shim; system-wide file handles are 95% used and somaxconn is 128\n")
    put(root, "/etc/passwd", PASSWD)
    put(root, "/home/gopher/.bashrc", "# ~/.bashrc\nexport PATH=/usr/local/bin:/usr/local/go/bin:$PATH\n"
        "export GODEBUG=containermaxprocs=0\n")
    put(root, "/home/gopher/.profile", "# ~/.profile\n. \"$HOME/.bashrc\"\nexport PATH=$HOME/.goenv/shims:$PATH\n")
    put(root, "/home/gopher/.goenv/shims/go", "#!/usr/bin/env bash\nset -e\n[ -n \"$GOENV_DEBUG\" ] && set -x\n"
        "program=\"${0##*/}\"\nexport GOENV_ROOT=\"/home/gopher/.goenv\"\nexec \"/home/gopher/.goenv/libexec/goenv\" exec \"$program\" \"$@\"\n", 0o755)
    put(root, "/usr/lib/go-1.25/bin/go", elf("amd64", "go1.25.1"), 0o755)
    link(root, "/usr/local/go", "/usr/lib/go-1.25")
    link(root, "/usr/local/bin/go", "/usr/local/bin/go2")
    link(root, "/usr/local/bin/go2", "/usr/local/bin/go")
    for d in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/sbin"]:
        put(root, d + "/.keep", "")
    kernel(root, file_max=100000, file_nr="95000\t0\t100000", somaxconn=128)
    mi = ("24 1 259:1 / / rw,relatime - overlay overlay rw\n"
          "30 24 0:27 / /sys/fs/cgroup rw,nosuid - tmpfs tmpfs rw,mode=755\n"
          "31 30 0:28 /docker/abc123 /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n"
          "32 30 0:29 /docker/abc123 /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory\n")
    proc(root, "self", "golint-env", 1, 1, "0-7",
         "5:memory:/docker/abc123\n4:cpu,cpuacct:/docker/abc123\n1:name=systemd:/docker/abc123\n", mi,
         1048576, 1048576, 96365, 4)
    cg = "/sys/fs/cgroup/cpu,cpuacct"
    put(root, cg + "/cpu.cfs_quota_us", "50000\n")
    put(root, cg + "/cpu.cfs_period_us", "100000\n")

def hybrid(root):
    put(root, "README", "systemd hybrid hierarchy (v1 controllers, v2 at /sys/fs/cgroup/unified): the cpu "
        "controller is on v1 with a 1-CPU quota on the user slice while .bashrc sets GOMAXPROCS=4; limits.conf "
        "allows more processes than kernel.threads-max\n")
    put(root, "/etc/security/limits.conf", "# build farm\n*  hard  nproc  200000\n")
    put(root, "/etc/passwd", PASSWD)
    put(root, "/home/gopher/.bashrc", "# ~/.bashrc\nexport PATH=/usr/local/go/bin:$PATH\nexport GOMAXPROCS=4\n")
    put(root, "/usr/local/go/bin/go", elf("amd64", "go1.24.3"), 0o755)
    for d in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/local/sbin"]:
        put(root, d + "/.keep", "")
    kernel(root)
    mi = ("24 1 259:1 / / rw,relatime - ext4 /dev/root rw\n"
          "25 24 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
          "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
          "27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid - cgroup cgroup rw,xattr,name=systemd\n"
          "28 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n")
    proc(root, "self", "golint-env", 1000, 1, "0-3",
         "12:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/user-1000.slice/session-3.scope\n"
         "0::/user.slice/user-1000.slice/session-3.scope\n", mi, 1024, 1048576, 63000, 4)
    cg = "/sys/fs/cgroup/cpu,cpuacct"
    put(root, cg + "/cpu.cfs_quota_us", "-1\n")
    put(root, cg + "/cpu.cfs_period_us", "100000\n")
    put(root, cg + "/user.slice/cpu.cfs_quota_us", "100000\n")
    put(root, cg + "/user.slice/cpu.cfs_period_us", "100000\n")
    put(root, "/sys/fs/cgroup/unified/user.slice/cgroup.controllers", "\n")

if __name__ == "__main__":
    for name, fn in [("live-v2", v2), ("live-v1", v1), ("live-hybrid", hybrid)]:
        root = os.path.join("fixtures/roots", name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        fn(root)
