#!/bin/bash
# Live tests of the rules in rules/linux/: start a real Debian daemon
# configured to bind a port that another program holds (and an address the
# host does not have, 192.0.2.10 from TEST-NET-1), capture what the daemon
# logs, and check that kbdiag names the holder's PID and program (and,
# run as nobody, says plainly that it cannot see the holder).
#
#   run.sh KBDIAG DAEMON     DAEMON: nginx, sshd, dovecot, postfix, apache2, slapd
#
# Exit 0 passed, 1 failed, 77 skipped (the daemon is not installed, or the
# test needs root), so ctest reports a skip with the reason printed here.
# Every process started here is killed on exit, and nothing but the
# loopback address and 192.0.2.10 (which no interface has) is bound to.
#
# The facts come from kbdiag's own collectors (`kbdiag run --log LOG`): a
# collector that misses the holder fails the test.
set -u

KBDIAG=$1
DAEMON=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../support/wait.sh"
PY=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kbdiag-live-$DAEMON.XXXXXX")
chmod 755 "$WORK"
PIDS=()
FAILED=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

skip() { echo "SKIP live.$DAEMON: $*"; exit 77; }
fail() { echo "FAIL live.$DAEMON: $*"; FAILED=1; }

need_root() { [ "$(id -u)" = 0 ] || skip "$1 needs root to run; run the tests as root"; }

# Starts a listener on ADDRESS:PORT (0: any free port); sets HOLDER_PID,
# HOLDER_PORT and HOLDER_NAME (its process name, as kbdiag will show it).
start_holder() {
	local out="$WORK/holder.$RANDOM"
	"$PY" "$HERE/holder.py" "$1" "$2" >"$out" &
	HOLDER_PID=$!
	PIDS+=("$HOLDER_PID")
	wait_for_output "$out"
	HOLDER_PORT=$(cat "$out")
	[ -n "$HOLDER_PORT" ] || { fail "the holder did not start on $1:$2"; return 1; }
	HOLDER_NAME=$(cat "/proc/$HOLDER_PID/comm")
	HOLDER_ADDR=$1
}

stop_holder() {
	kill "$HOLDER_PID" 2>/dev/null
	wait "$HOLDER_PID" 2>/dev/null
}

# diagnose NAME LOG: kbdiag's report on this host, with the daemon's log,
# into $WORK/NAME.json.
diagnose() {
	"$KBDIAG" run --log "$2" --format json >"$WORK/$1.json" 2>"$WORK/$1.err"
}

# check NAME RULE NEEDLE...: the report has one finding of RULE naming them.
check() {
	local name=$1
	shift
	if ! "$PY" "$HERE/check.py" "$WORK/$name.json" "$@"; then
		fail "$name: see the findings above; the daemon logged:"
		sed 's/^/    /' "$WORK/$name.log" 2>/dev/null
		cat "$WORK/$name.err" 2>/dev/null
	fi
}

# The port-held and address scenarios for one daemon.  start_DAEMON NAME
# ADDRESS PORT starts the daemon to listen there, logging to $WORK/NAME.log,
# and returns when it has given up.
scenarios() {
	local start=$1
	start_holder 127.0.0.1 0 || return
	"$start" held 127.0.0.1 "$HOLDER_PORT"
	diagnose held "$WORK/held.log"
	check held linux-port-in-use "$DAEMON" "127.0.0.1:$HOLDER_PORT" "$HOLDER_NAME (PID $HOLDER_PID"
	stop_holder
	if ip -o address 2>/dev/null | grep -q ' 192\.0\.2\.10/'; then
		echo "note: this host has 192.0.2.10; the address scenario is left out"
		return
	fi
	"$start" addr 192.0.2.10 "$HOLDER_PORT"
	diagnose addr "$WORK/addr.log"
	check addr linux-address-not-assigned "$DAEMON" "192.0.2.10" "127.0.0.1 (lo)"
}

# ---- nginx ------------------------------------------------------------------

nginx_conf() { # FILE ADDRESS PORT LOG
	cat >"$1" <<-EOF
		pid $WORK/nginx.pid;
		error_log $4;
		events { }
		http {
		    access_log off;
		    client_body_temp_path $WORK/body;
		    server { listen $2:$3; }
		}
	EOF
}

start_nginx() {
	nginx_conf "$WORK/$1.conf" "$2" "$3" "$WORK/$1.log"
	timeout 30 nginx -e "$WORK/$1.log" -p "$WORK" -c "$WORK/$1.conf" -g 'daemon off; master_process off;' \
		>"$WORK/$1.out" 2>&1
}

# A port below 1024 refused to nginx run as nobody without capabilities.
privileged_nginx() {
	local first
	first=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo 1024)
	if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
		echo "note: the privileged-port scenario needs root and setpriv; left out"
		return
	fi
	local port
	port=$("$PY" -c 'import socket,sys
for p in range(int(sys.argv[1]) - 1, 511, -1):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()' "$first")
	if [ -z "$port" ]; then
		echo "note: net.ipv4.ip_unprivileged_port_start is $first, no port below it to test; left out"
		return
	fi
	nginx_conf "$WORK/priv.conf" 127.0.0.1 "$port" "$WORK/priv.log"
	chmod 777 "$WORK"
	timeout 30 setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all \
		nginx -e "$WORK/priv.log" -p "$WORK" -c "$WORK/priv.conf" -g 'daemon off; master_process off;' \
		>"$WORK/priv.out" 2>&1
	chmod 755 "$WORK"
	diagnose priv "$WORK/priv.log"
	check priv linux-privileged-port "nginx was refused port $port on 127.0.0.1"
}

# kbdiag itself run as nobody: the holder (root's) is out of its sight, and
# the finding says so rather than naming no one or guessing.
unprivileged_kbdiag() {
	if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
		echo "note: the unprivileged-kbdiag scenario needs root and setpriv; left out"
		return
	fi
	start_holder 127.0.0.1 0 || return
	start_nginx unpriv 127.0.0.1 "$HOLDER_PORT"
	chmod 644 "$WORK/unpriv.log"
	# nobody may not reach the build tree (a clone in a private folder):
	# it runs a copy of kbdiag and of the stock rules from $WORK.
	cp "$KBDIAG" "$WORK/kbdiag"
	cp -r "$HERE/../../rules" "$WORK/rules"
	chmod -R a+rX "$WORK/kbdiag" "$WORK/rules"
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all \
		env KBDIAG_STOCK_RULES="$WORK/rules" "$WORK/kbdiag" run --log "$WORK/unpriv.log" --format json \
		>"$WORK/unpriv.json" 2>"$WORK/unpriv.err"
	check unpriv linux-port-owner-unknown "nginx cannot bind 127.0.0.1:$HOLDER_PORT" "could not see which one"
	stop_holder
}

# ---- OpenSSH -------------------------------------------------------------------

start_sshd() {
	[ -f "$WORK/hostkey" ] || ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey" >/dev/null
	printf 'HostKey %s\nPidFile %s\nUsePAM no\n' "$WORK/hostkey" "$WORK/sshd.pid" >"$WORK/sshd_config"
	timeout 30 /usr/sbin/sshd -D -e -f "$WORK/sshd_config" -p "$3" -o "ListenAddress=$2" 2>"$WORK/$1.log"
}

# ---- Dovecot ---------------------------------------------------------------------

start_dovecot() {
	mkdir -p "$WORK/dovecot-$1" "$WORK/home"
	cat >"$WORK/$1.conf" <<-EOF
		base_dir = $WORK/dovecot-$1
		state_dir = $WORK/dovecot-$1
		log_path = $WORK/$1.log
		protocols = imap
		listen = $2
		ssl = no
		default_internal_user = root
		default_login_user = root
		default_internal_group = root
		service imap-login {
		  inet_listener imap {
		    port = $3
		  }
		  inet_listener imaps {
		    port = 0
		  }
		}
		passdb {
		  driver = static
		  args = password=unused
		}
		userdb {
		  driver = static
		  args = uid=root gid=root home=$WORK/home
		}
	EOF
	timeout 30 dovecot -F -c "$WORK/$1.conf" >"$WORK/$1.out" 2>&1
}

# ---- Postfix ------------------------------------------------------------------------

start_postfix() {
	local conf="$WORK/postfix-$1"
	mkdir -p "$conf/etc" "$conf/queue" "$conf/data"
	chown postfix "$conf/data"
	cat >"$conf/etc/main.cf" <<-EOF
		compatibility_level = 3.6
		queue_directory = $conf/queue
		data_directory = $conf/data
		inet_interfaces = all
		inet_protocols = ipv4
		maillog_file = /dev/stdout
		myhostname = kbdiag-live.invalid
	EOF
	cat >"$conf/etc/master.cf" <<-EOF
		$2:$3 inet n - n - - smtpd
		postlog unix-dgram n - n - 1 postlogd
	EOF
	timeout 30 /usr/sbin/postfix -c "$conf/etc" start-fg >"$WORK/$1.log" 2>&1
}

# ---- Apache httpd ----------------------------------------------------------------------

start_apache2() {
	local mods=/usr/lib/apache2/modules
	cat >"$WORK/$1.conf" <<-EOF
		ServerRoot $WORK
		ServerName kbdiag-live.invalid
		LoadModule mpm_prefork_module $mods/mod_mpm_prefork.so
		LoadModule authz_core_module $mods/mod_authz_core.so
		PidFile $WORK/apache2.pid
		ErrorLog $WORK/$1.errorlog
		Listen $2:$3
	EOF
	timeout 30 apache2 -X -f "$WORK/$1.conf" >"$WORK/$1.log" 2>&1
}

# ---- OpenLDAP slapd ------------------------------------------------------------------------

start_slapd() { # -d none: what slapd logs at its default level; -d 1 adds the listener URL
	printf 'include /etc/ldap/schema/core.schema\npidfile %s\n' "$WORK/slapd.pid" >"$WORK/slapd.conf"
	local host=$2
	case $host in *:*) host="[$host]" ;; esac
	timeout 30 /usr/sbin/slapd -d "${SLAPD_DEBUG:-1}" -f "$WORK/slapd.conf" -h "ldap://$host:$3/" >"$WORK/$1.log" 2>&1
}

# slapd at its default log level names no port: the rules can only point at
# its well-known ports, so the holder takes LDAP's port 389 (when free).
slapd_default_level() {
	if ! "$PY" -c 'import socket; socket.socket().bind(("127.0.0.1", 389))' 2>/dev/null; then
		echo "note: 127.0.0.1:389 is taken; the default-log-level scenario is left out"
		return
	fi
	start_holder 127.0.0.1 389 || return
	SLAPD_DEBUG=none start_slapd quiet 127.0.0.1 389
	diagnose quiet "$WORK/quiet.log"
	check quiet linux-port-in-use-unlogged "slapd could not bind" "$HOLDER_NAME (PID $HOLDER_PID" "LDAP port 389"
	stop_holder
}

# ---- main -----------------------------------------------------------------------------------

case $DAEMON in
nginx)
	command -v nginx >/dev/null || skip "nginx is not installed (apt-get install nginx-light)"
	scenarios start_nginx
	privileged_nginx
	unprivileged_kbdiag
	;;
sshd)
	[ -x /usr/sbin/sshd ] || skip "sshd is not installed (apt-get install openssh-server)"
	need_root sshd
	mkdir -p /run/sshd # its privilege separation directory, made by the unit on a booted system
	scenarios start_sshd
	;;
dovecot)
	command -v dovecot >/dev/null || skip "dovecot is not installed (apt-get install dovecot-imapd)"
	need_root dovecot
	scenarios start_dovecot
	;;
postfix)
	[ -x /usr/sbin/postfix ] || skip "postfix is not installed (apt-get install postfix)"
	need_root postfix
	scenarios start_postfix
	;;
apache2)
	command -v apache2 >/dev/null || skip "apache2 is not installed (apt-get install apache2)"
	need_root apache2
	scenarios start_apache2
	;;
slapd)
	[ -x /usr/sbin/slapd ] || skip "slapd is not installed (apt-get install slapd)"
	need_root slapd
	scenarios start_slapd
	slapd_default_level
	;;
*)
	echo "usage: run.sh KBDIAG nginx|sshd|dovecot|postfix|apache2|slapd" >&2
	exit 2
	;;
esac

if [ "$FAILED" = 0 ]; then
	echo "PASS live.$DAEMON"
fi
exit "$FAILED"
