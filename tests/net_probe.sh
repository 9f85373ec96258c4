#!/bin/bash
# Network probes on loopback only (issue 8): a fake DNS server, black-hole
# nameservers, HTTP/HTTPS servers with a CA made here by openssl, a
# self-signed, an expired and a TLS 1.3-only server, an HTTP proxy (and 407).
# Every failure of the seed's chapter 3 must be named at its layer, and three
# black-hole nameservers must not stretch the deadline.
#
# usage: bash tests/net_probe.sh path/to/golint-env   (helpers sit next to it)
# Nothing leaves 127.0.0.0/8: every name the probes look up is answered by the
# fake DNS server (GOLINT_ENV_DNS_PORT / --dns-port points resolv.conf at it).
set -u
BIN_DIR=$(cd "$(dirname "${1:?usage: net_probe.sh golint-env}")" && pwd)
PROBE=$BIN_DIR/netprobe_main
SRV=$BIN_DIR/netsrv
[ -x "$PROBE" ] && [ -x "$SRV" ] || { echo "skip: netprobe_main/netsrv not built"; exit 77; }
command -v openssl >/dev/null || { echo "skip: openssl not installed"; exit 77; }

T=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
FAIL=0
LIFE=90

# start NAME ARGS...: run a server, wait (bounded) for its port file, set PORT_NAME
start() {
    local name=$1 mode=$2; shift 2
    "$SRV" "$mode" --lifetime $LIFE --port-file "$T/$name.port" "$@" 2>"$T/$name.err" &
    PIDS+=($!)
    for _ in $(seq 50); do [ -s "$T/$name.port" ] && break; sleep 0.05; done
    [ -s "$T/$name.port" ] || { echo "FAIL: server $name did not start"; cat "$T/$name.err"; exit 1; }
    printf -v "PORT_$name" '%s' "$(cat "$T/$name.port")"
}

# ---- certificates, made now --------------------------------------------------
cd "$T" || exit 1
mkdir -p ca && cd ca || exit 1
cat >ext.cnf <<'EOF'
subjectAltName=DNS:proxy.test,DNS:sum.test,DNS:localhost,IP:127.0.0.1
EOF
cat >ca.cnf <<'EOF'
[ca]
default_ca = tca
[tca]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = pol
unique_subject = no
[pol]
commonName = supplied
EOF
: >index.txt
echo 01 >serial
{
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=golint-env-test-ca
openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=proxy.test
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ext.cnf
openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 2 -subj /CN=proxy.test \
    -addext "subjectAltName=DNS:proxy.test,IP:127.0.0.1"
openssl req -newkey rsa:2048 -nodes -keyout exp.key -out exp.csr -subj /CN=proxy.test
openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in exp.csr -out exp.pem \
    -startdate 20200101000000Z -enddate 20200201000000Z -extfile ext.cnf
} >"$T/openssl.log" 2>&1 || { echo "FAIL: openssl could not make the test certificates"; cat "$T/openssl.log"; exit 1; }
CA=/ca.pem   # machine path: every root gets a copy
cd "$T" || exit 1

# ---- servers -----------------------------------------------------------------
MAP=(--map proxy.test=127.0.0.1 --map sum.golang.org=127.0.0.1 --map wrong.test=127.0.0.1
     --map sum.test=127.0.0.1 --map private.test=127.0.0.1)
start dns dns "${MAP[@]}"
start dnsslow dns --delay 300 "${MAP[@]}"
start bh1 dns-blackhole
start bh2 dns-blackhole --addr 127.0.0.2 --port "$PORT_bh1"
start bh3 dns-blackhole --addr 127.0.0.3 --port "$PORT_bh1"
start bhlive dns-blackhole --addr 127.0.0.2 --port "$PORT_dns"   # dead server before a live one
start h200 http --status 200
start h404 http --status 404
start h410 http --status 410
start h502 http --status 502
start s200 http --tls --cert ca/srv.pem --key ca/srv.key
start sself http --tls --cert ca/self.pem --key ca/self.key
start sexp http --tls --cert ca/exp.pem --key ca/exp.key
start s13 http --tls --tls13-only --cert ca/srv.pem --key ca/srv.key
start shang http --hang
start tcpbh tcp-blackhole
start px proxy --auth u:secret
start pxdeny proxy --deny
start closed http --lifetime 1   # its port is closed once it exits
sleep 1.2

mkroot() { # mkroot NAME RESOLV_CONF_TEXT
    mkdir -p "$T/$1/etc"
    printf '%b' "$2" >"$T/$1/etc/resolv.conf"
    printf 'hosts: files dns\n' >"$T/$1/etc/nsswitch.conf"
    cp "$T/ca/ca.pem" "$T/ca/self.pem" "$T/$1/"
    echo "$T/$1"
}
R=$(mkroot r1 'nameserver 127.0.0.1\n')
RC=/home/u/.bashrc

run() { # run LABEL ARGS...: OUT holds the output
    LABEL=$1; shift
    OUT=$("$PROBE" "$@" 2>"$T/stderr")
    if [ -s "$T/stderr" ]; then echo "FAIL [$LABEL]: stderr not empty (not a terminal)"; cat "$T/stderr"; FAIL=1; fi
}
expect() { # expect PATTERN (extended regex on the output)
    if ! grep -Eq -- "$1" <<<"$OUT"; then
        echo "FAIL [$LABEL]: expected /$1/ in:"; echo "$OUT" | sed 's/^/    /'; FAIL=1
    fi
}
reject() {
    if grep -Eq -- "$1" <<<"$OUT"; then
        echo "FAIL [$LABEL]: did not expect /$1/ in:"; echo "$OUT" | sed 's/^/    /'; FAIL=1
    fi
}
P=(--root "$R" --dns-port "$PORT_dns" --timeout 2)

# HTTP 200 through the fake DNS; timings reported
run ok "${P[@]}" --set "GOPROXY=http://proxy.test:$PORT_h200,direct@$RC:3" --set GOSUMDB=off
expect "^finding GE7030 info $RC:3 \[default\] GOPROXY http://proxy.test:$PORT_h200/golang.org/x/text/@v/list answered HTTP 200 \(dns [0-9]+ ms, connect [0-9]+ ms, first byte [0-9]+ ms\)"
expect "^endpoint goproxy .* layer=none status=200"
reject "^finding GE[0-9]+ (error|warning)"

# NXDOMAIN: "no such host" at the DNS layer
run nxdomain "${P[@]}" --set "GOPROXY=https://nosuch.test,direct@$RC:4" --set GOSUMDB=off
expect "^finding GE7010 error $RC:4 .*lookup nosuch.test on 127.0.0.1:$PORT_dns: no such host \(NXDOMAIN\).*Go stops here.*\(DNS\)$"

# connection refused (TCP)
run refused "${P[@]}" --set "GOPROXY=http://127.0.0.1:$PORT_closed@$RC:5" --set GOSUMDB=off
expect "^finding GE7011 error $RC:5 .*connect: connection refused; it is the last GOPROXY entry.*\(TCP\)$"

# TCP timeout: SYNs dropped
run tcp-timeout "${P[@]}" --timeout 1 --set "GOPROXY=https://proxy.test:$PORT_tcpbh@$RC:6" --set GOSUMDB=off
expect "^finding GE7012 error $RC:6 .*i/o timeout \(no TCP connection\).*\(TCP\)$"

# TLS handshake timeout: accepts, never speaks (and no roots at all: the
# handshake is still tried, as Go would)
run tls-timeout "${P[@]}" --timeout 1 --set "GOPROXY=https://proxy.test:$PORT_shang@$RC:7" --set GOSUMDB=off
expect "^finding GE7012 error $RC:7 .*net/http: TLS handshake timeout.*\(TLS\)$"

# TLS version mismatch: TLS 1.3-only server, client capped at TLS 1.2
run tls-version "${P[@]}" --tls-max 12 --set "SSL_CERT_FILE=$CA" \
    --set "GOPROXY=https://proxy.test:$PORT_s13@$RC:8" --set GOSUMDB=off
expect "^finding GE7013 error $RC:8 .*tls: protocol version not supported: client offers TLS 1.2 only.*\(TLS\)$"
# ... and the same server is fine with TLS 1.3
run tls13-ok "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "GOPROXY=https://proxy.test:$PORT_s13@$RC:8" --set GOSUMDB=off
expect "^finding GE7030 info $RC:8 .*answered HTTP 200 \(dns [0-9]+ ms, connect [0-9]+ ms, tls [0-9]+ ms, first byte"

# unknown authority: self-signed, and our CA not trusted without SSL_CERT_FILE
run self-signed "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "GOPROXY=https://proxy.test:$PORT_sself@$RC:9" --set GOSUMDB=off
expect "^finding GE7014 error $RC:9 .*x509: certificate signed by unknown authority.*\(TLS\)$"
run no-ca "${P[@]}" --set "SSL_CERT_FILE=/self.pem" --set "GOPROXY=https://proxy.test:$PORT_s200@$RC:9" --set GOSUMDB=off
expect "^finding GE7014 error $RC:9 .*unknown authority"

# hostname mismatch
run hostname "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "GOPROXY=https://wrong.test:$PORT_s200@$RC:10" --set GOSUMDB=off
expect "^finding GE7015 error $RC:10 .*x509: certificate is not valid for wrong.test.*\(TLS\)$"

# expired certificate
run expired "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "GOPROXY=https://proxy.test:$PORT_sexp@$RC:11" --set GOSUMDB=off
expect "^finding GE7016 error $RC:11 .*x509: certificate has expired or is not yet valid.*\(TLS\)$"

# SSL_CERT_DIR alone (Go reads every file in it)
mkdir -p "$R/certs" && cp "$T/ca/ca.pem" "$R/certs/test-ca.pem"
run cert-dir "${P[@]}" --set "SSL_CERT_FILE=/nonexistent.pem@$RC:12" --set "SSL_CERT_DIR=/certs" \
    --set "GOPROXY=https://proxy.test:$PORT_s200@$RC:13" --set GOSUMDB=off
expect "^finding GE7030 info $RC:13 .*answered HTTP 200"
expect "^finding GE7024 warning $RC:12 .*SSL_CERT_FILE=/nonexistent.pem does not exist"

# 404 with ',' falls through; 410 as the last entry fails
run notfound "${P[@]}" --set "GOPROXY=http://proxy.test:$PORT_h404,http://proxy.test:$PORT_h410@$RC:14" --set GOSUMDB=off
expect "^finding GE7017 info $RC:14 .*GOPROXY entry http://proxy.test:$PORT_h404: 404 Not Found; Go goes on to the next entry http://proxy.test:$PORT_h410 \(HTTP\)$"
expect "^finding GE7017 error $RC:14 .*GOPROXY entry http://proxy.test:$PORT_h410: 410 Gone; it is the last GOPROXY entry"

# 5xx: ',' stops, '|' goes on
run 5xx-comma "${P[@]}" --set "GOPROXY=http://proxy.test:$PORT_h502,direct@$RC:15" --set GOSUMDB=off
expect "^finding GE7018 error $RC:15 .*502 server error; Go stops here: after ',' it falls through only on 404/410 \(use '\|' to fall through on any error\) \(HTTP\)$"
run 5xx-pipe "${P[@]}" --set "GOPROXY=http://proxy.test:$PORT_h502|direct@$RC:15" --set GOSUMDB=off
expect "^finding GE7018 warning $RC:15 .*502 server error; Go goes on to the next entry direct \(HTTP\)$"

# proxies: 407 pinned to HTTPS_PROXY's line; credentials work; NO_PROXY; dead proxy
PX=/etc/environment
run proxy-407 "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "HTTPS_PROXY=http://127.0.0.1:$PORT_pxdeny@$PX:2" \
    --set "GOPROXY=https://proxy.test:$PORT_s200@$RC:16" --set GOSUMDB=off
expect "^finding GE7019 error $PX:2 .*407 Proxy Authentication Required to CONNECT proxy.test:$PORT_s200.*\(proxy\)$"
run proxy-auth "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "HTTPS_PROXY=http://u:secret@127.0.0.1:$PORT_px@$PX:2" \
    --set "GOPROXY=https://proxy.test:$PORT_s200@$RC:16" --set GOSUMDB=off
expect "^finding GE7030 info $RC:16 .*answered HTTP 200 through proxy 127.0.0.1"
expect "^endpoint goproxy .* proxy=http://u:secret@127.0.0.1:$PORT_px "
run proxy-wrong-pass "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "HTTPS_PROXY=http://u:nope@127.0.0.1:$PORT_px@$PX:2" \
    --set "GOPROXY=https://proxy.test:$PORT_s200@$RC:16" --set GOSUMDB=off
expect "^finding GE7019 error $PX:2 "
run proxy-http "${P[@]}" --set "HTTP_PROXY=127.0.0.1:$PORT_pxdeny@$PX:3" \
    --set "GOPROXY=http://proxy.test:$PORT_h200@$RC:17" --set GOSUMDB=off
expect "^finding GE7019 error $PX:3 .*407 Proxy Authentication Required from proxy 127.0.0.1"
run no-proxy "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "HTTPS_PROXY=http://127.0.0.1:$PORT_pxdeny@$PX:2" \
    --set "NO_PROXY=.example.com, test" --set "GOPROXY=https://proxy.test:$PORT_s200@$RC:16" --set GOSUMDB=off
expect "^finding GE7030 info $RC:16 .*answered HTTP 200 \("
reject "through proxy"
run proxy-down "${P[@]}" --set "SSL_CERT_FILE=$CA" --set "HTTPS_PROXY=http://127.0.0.1:$PORT_closed@$PX:2" \
    --set "GOPROXY=https://proxy.test:$PORT_s200@$RC:16" --set GOSUMDB=off
expect "^finding GE7021 error $PX:2 .*proxyconnect tcp: dial tcp 127.0.0.1:$PORT_closed: connect: Connection refused.*\(proxy\)$"
run http-proxy-only "${P[@]}" --set "HTTP_PROXY=http://127.0.0.1:$PORT_pxdeny@$PX:3" --set "SSL_CERT_FILE=$CA" \
    --set "GOPROXY=https://proxy.test:$PORT_s200@$RC:16" --set GOSUMDB=off
expect "^finding GE7023 info $PX:3 .*HTTP_PROXY is set but HTTPS_PROXY is not"
expect "^finding GE7030 info $RC:16 .*answered HTTP 200 \("

# GOSUMDB and GOPRIVATE
run sumdb "${P[@]}" --set "SSL_CERT_FILE=$CA" --set GOPROXY=off \
    --set "GOSUMDB=sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8 https://sum.test:$PORT_sself@$RC:18"
expect "^finding GE7025 warning $RC:18 .*GOSUMDB https://sum.test:$PORT_sself/latest: x509: certificate signed by unknown authority"
run private "${P[@]}" --goprivate-port "$PORT_h200" --set GOPROXY=off --set GOSUMDB=off \
    --set "GOPRIVATE=private.test/team,*.corp.example@$RC:19"
expect "^finding GE7030 info $RC:19 .*GOPRIVATE host private.test:$PORT_h200 is reachable over TCP"
run private-down "${P[@]}" --goprivate-port "$PORT_closed" --set GOPROXY=off --set GOSUMDB=off \
    --set "GOPRIVATE=private.test@$RC:19"
expect "^finding GE7026 warning $RC:19 .*GOPRIVATE host private.test is not reachable on port $PORT_closed: .*connection refused.*\(TCP\)$"

# unset GOPROXY: Go's default, pinned to the pseudo-location or --default-file
run default-loc "${P[@]}" --set GOSUMDB=off --module example.com/m
expect "GOPROXY entry https://proxy.golang.org: .*no such host"
expect "^finding GE7010 error \\\$GOROOT/go.env:1 "
run default-file "${P[@]}" --default-file /home/u/.config/go/env --set GOSUMDB=off
expect "^finding GE7010 error /home/u/.config/go/env:1 "

# ---- DNS -------------------------------------------------------------------------
# three black holes: the deadline holds (timeout + 100 ms), GE7002 names the cost
R3=$(mkroot r3 'nameserver 127.0.0.1\nnameserver 127.0.0.2\nnameserver 127.0.0.3\noptions timeout:2 attempts:3\n')
run blackholes --root "$R3" --dns-port "$PORT_bh1" --timeout 1 --set "SSL_CERT_FILE=$CA" \
    --set "GOPROXY=https://proxy.test:$PORT_s200|https://sum.test:$PORT_s200,direct@$RC:20" \
    --set "GOPRIVATE=private.test@$RC:21"
expect "^finding GE7002 error /etc/resolv.conf:1 \[\] no nameserver gave a usable answer within 1.0 s \(3 silent, 0 refusing or failing\): every lookup .* fails with \"i/o timeout\" after timeout 2 s x attempts 3 x 3 silent servers = 18 s \(DNS\)$"
expect "^finding GE7012 error $RC:20 .*lookup sum.test: i/o timeout.*\(DNS\) \(caused_by\)$"
WALL=$(sed -n 's/^wall_ms //p' <<<"$OUT")
if [ -z "$WALL" ] || [ "$WALL" -gt 1100 ]; then echo "FAIL [blackholes]: wall ${WALL:-?} ms > 1100 ms"; FAIL=1; fi
START=$(date +%s%N)
run blackholes-3s --root "$R3" --dns-port "$PORT_bh1" --set GOPROXY=https://proxy.test,https://a.test,https://b.test
END=$(date +%s%N)
WALL=$(sed -n 's/^wall_ms //p' <<<"$OUT")
PROC_MS=$(( (END - START) / 1000000 ))
echo "measured: 3 black-hole nameservers, default --timeout 3: probe ${WALL} ms, process ${PROC_MS} ms"
if [ "$WALL" -gt 3100 ] || [ "$WALL" -lt 2900 ] || [ "$PROC_MS" -gt 3300 ]; then
    echo "FAIL [blackholes-3s]: wall $WALL ms (process $PROC_MS ms), want 2900..3100"; FAIL=1
fi

# everything dead at once (silent DNS, dropped SYNs, a mute TLS server, a
# proxy that never relays): still one deadline
START=$(date +%s%N)
run all-dead --root "$R3" --dns-port "$PORT_bh1" --timeout 1 \
    --set "GOPROXY=https://127.0.0.1:$PORT_shang|https://127.0.0.2:$PORT_tcpbh|https://proxy.test|http://127.0.0.1:$PORT_h200@$RC:24" \
    --set "GOPRIVATE=private.test,127.0.0.1@$RC:25" --goprivate-port "$PORT_tcpbh" \
    --context second --set "GOPROXY=https://a.test,https://b.test@$RC:26" --set "HTTPS_PROXY=http://proxy.corp.test:3128@$PX:4"
END=$(date +%s%N)
WALL=$(sed -n 's/^wall_ms //p' <<<"$OUT")
PROC_MS=$(( (END - START) / 1000000 ))
echo "measured: everything dead, --timeout 1: probe ${WALL} ms, process ${PROC_MS} ms"
expect "^finding GE7012 warning $RC:24 .*TLS handshake timeout"
expect "^finding GE7030 info $RC:24 .*answered HTTP 200"
expect "^finding GE7021 error $PX:4 \[second\] GOPROXY entry https://b.test via HTTPS_PROXY=http://proxy.corp.test:3128: proxyconnect tcp: dial tcp: lookup proxy.corp.test: i/o timeout .*\(DNS\) \(caused_by\)$"
[ -n "${NET_PROBE_SHOW:-}" ] && echo "$OUT"
if [ "$WALL" -gt 1100 ] || [ "$PROC_MS" -gt 1300 ]; then
    echo "FAIL [all-dead]: wall $WALL ms (process $PROC_MS ms), want <= 1100"; FAIL=1
fi

# dead server before a live one: Go waits timeout for it on every lookup
R4=$(mkroot r4 'nameserver 127.0.0.2\nnameserver 127.0.0.1\n')
run dead-first --root "$R4" --dns-port "$PORT_dns" --timeout 1 --set GOSUMDB=off \
    --set "GOPROXY=http://proxy.test:$PORT_h200@$RC:22"
expect "^finding GE7001 warning /etc/resolv.conf:1 \[\] nameserver 127.0.0.2 did not answer DNS queries within 1.0 s: Go waits timeout 5 s for it on every lookup before asking 127.0.0.1 \(5 s added to each lookup by the 1 silent server listed first\)"
expect "^finding GE7030 info $RC:22 .*answered HTTP 200"
expect "^nameserver 127.0.0.1 line=2 answered=1"

# refusing and slow nameservers, too many nameservers, unknown option, nsswitch
R5=$(mkroot r5 'nameserver 127.0.0.4\nnameserver 127.0.0.1\n# four\nnameserver 127.0.0.9\nnameserver 127.0.0.10\noptions inet6 rotate\n')
printf 'hosts: files mdns4_minimal [NOTFOUND=return] dns myhostname\n' >"$R5/etc/nsswitch.conf"
run slow --root "$R5" --dns-port "$PORT_dnsslow" --slow-ms 100 \
    --context cron --set GOSUMDB=off --set "GOPROXY=http://proxy.test:$PORT_h200@$RC:23" \
    --context daemon --cgo --set GODEBUG=netdns=go+1 --set GOSUMDB=off --set "GOPROXY=http://proxy.test:$PORT_h200@$RC:23"
expect "^finding GE7004 warning /etc/resolv.conf:1 \[\] nameserver 127.0.0.4 refused DNS queries"
expect "^finding GE7003 warning /etc/resolv.conf:2 \[\] nameserver 127.0.0.1 is slow: its answer took [0-9]+ ms \(over 100 ms\)"
expect "^finding GE7006 warning /etc/resolv.conf:5 .*only the first 3 nameservers \(1 more listed\)"
expect "^finding GE7008 info /etc/resolv.conf:6 .*\"inet6\""
expect "^finding GE7007 warning /etc/nsswitch.conf:1 \[daemon\] Go's own resolver skips mdns4_minimal .*GODEBUG netdns=go forces"
expect "^finding GE7007 info /etc/nsswitch.conf:1 \[cron\] Go's own resolver skips mdns4_minimal .*built without cgo"
expect "^finding GE7030 info $RC:23 \[cron,daemon\] GOPROXY"

# no nameserver at all
R6=$(mkroot r6 '# empty\n')
run no-ns --root "$R6" --offline
expect "^finding GE7005 warning /etc/resolv.conf:1 .*falls back to 127.0.0.1:53"

# --offline: no traffic at all
run offline --root "$R3" --dns-port "$PORT_bh1" --offline --set "GOPROXY=https://proxy.test@$RC:1"
reject "^endpoint|^nameserver|GE701|GE7002"
WALL=$(sed -n 's/^wall_ms //p' <<<"$OUT")
[ "$WALL" -lt 100 ] || { echo "FAIL [offline]: took $WALL ms"; FAIL=1; }

# GOLINT_ENV_DNS_PORT is the documented switch when no option is given
OUT=$(GOLINT_ENV_DNS_PORT=$PORT_dns "$PROBE" --root "$R" --timeout 2 --set GOSUMDB=off \
    --set "GOPROXY=http://proxy.test:$PORT_h200@$RC:3")
LABEL=env-port
expect "^finding GE7030 info $RC:3 .*answered HTTP 200"

[ -n "${NET_PROBE_SHOW:-}" ] && echo "$OUT"
[ $FAIL = 0 ] && echo "net_probe: all passed"
exit $FAIL
