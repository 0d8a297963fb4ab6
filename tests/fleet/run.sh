#!/bin/bash
# The Ansible collection (ansible/) run for real: ansible-playbook runs the
# fleet playbook against three hosts and one that cannot be reached, then
# checks the roll-up and that a second run changes no install or rules task.
#
#   run.sh KBDIAG SOURCE_DIR        (KBDIAG: the kbdiag the controller rolls up with)
#
# The hosts:
#   - this machine itself (ansible_connection=local), named as it is named;
#   - kbdiag-alpha and kbdiag-beta: an sshd each, started here with a fresh
#     host key, in a network namespace of its own (so that kbdiag run there
#     sees only that namespace's listeners) and a UTS namespace named after
#     the host (so that its report names it); each takes only its own user,
#     created here with a throw-away key and leave to sudo.  sshd listens on
#     the namespace's loopback; the controller reaches it through
#     `ip netns exec NS socat`, so no address outside 127.0.0.0/8 is used;
#   - kbdiag-gamma: a loopback port nothing listens on.
# Each reachable host gets its own port conflict: a holder (tests/live/holder.py
# under a name of its own) listens on a port, a real daemon fails to bind it
# and logs so to a file the inventory passes with --log.
#
# The package is built with scripts/package (or taken from $KBDIAG_DEB) and
# installed by the role; it is purged at the end unless kbdiag was installed
# before.  Everything made here (users, sudoers file, namespaces, processes,
# the site rule) is removed on exit.
set -u
KBDIAG=$(realpath "$1")
SRC=$(realpath "$2")
. "$SRC/tests/support/wait.sh"
PY=/usr/bin/python3
FAILED=0
die() { echo "FAIL fleet: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root: it installs the package and makes users and network namespaces"
for tool in ansible-playbook /usr/sbin/sshd socat sudo nginx ip unshare ssh-keygen; do
	command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-deps installs it)"
done

WORK=$(mktemp -d /tmp/kbdiag-fleet.XXXXXX)
chmod 755 "$WORK"
TAG=$$
PIDS=()
NETNS=()
USERS=()
SUDOERS=/etc/sudoers.d/kbdiag-fleet-test-$TAG
SITE_RULE=/etc/kbdiag/rules.d/fleet-site.lua
installed_before=$(dpkg-query -W -f '${Status}' kbdiag 2>/dev/null || true)
site_rule_before=no
[ -e "$SITE_RULE" ] && site_rule_before=yes
made_run_sshd=no

cleanup() {
	local p ns u
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	for ns in "${NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	for u in "${USERS[@]}"; do userdel -f "$u" 2>/dev/null; done
	rm -f "$SUDOERS"
	[ "$site_rule_before" = yes ] || rm -f "$SITE_RULE"
	case $installed_before in *" installed") ;; *) dpkg --purge kbdiag >/dev/null 2>&1 ;; esac
	[ "$made_run_sshd" = yes ] && rmdir /run/sshd 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- the package ---------------------------------------------------------------
if [ -n "${KBDIAG_DEB:-}" ]; then
	DEB=$(realpath "$KBDIAG_DEB")
else
	echo "== scripts/package"
	"$SRC/scripts/package" >"$WORK/package.log" 2>&1 || { cat "$WORK/package.log"; die "scripts/package failed"; }
	DEB=$(ls "$SRC"/build-deb/kbdiag_*_amd64.deb)
fi
[ -f "$DEB" ] || die "no package at $DEB"

# ---- holders and failing daemons -------------------------------------------------
# A holder under a name of its own: the kernel names a script's process after
# the script, so each host's report names its own holder.
make_holder() { # NAME
	{ echo "#!$PY"; tail -n +2 "$SRC/tests/live/holder.py"; } >"$WORK/bin/$1"
	chmod 755 "$WORK/bin/$1"
}

# start_holder HOST NAME [NETNS]: sets HOLDER_PID and HOLDER_PORT.
start_holder() {
	local out="$WORK/$1/holder.port"
	if [ -n "${3:-}" ]; then
		ip netns exec "$3" "$WORK/bin/$2" 127.0.0.1 0 300 >"$out" &
	else
		"$WORK/bin/$2" 127.0.0.1 0 300 >"$out" &
	fi
	HOLDER_PID=$!
	PIDS+=("$HOLDER_PID")
	wait_for_output "$out"
	HOLDER_PORT=$(cat "$out")
	[ -n "$HOLDER_PORT" ] || die "the holder $2 of $1 did not start"
}

# nginx told to listen on the held port: it logs "bind() to ... failed
# (98: Address already in use)" and gives up.
fail_nginx() { # HOST PORT [NETNS]
	local dir="$WORK/$1"
	mkdir -p "$dir/nginx"
	cat >"$dir/nginx.conf" <<-EOF
		pid $dir/nginx.pid;
		error_log $dir/daemon.log;
		events { }
		http { access_log off; client_body_temp_path $dir/nginx; server { listen 127.0.0.1:$2; } }
	EOF
	${3:+ip netns exec "$3"} timeout 30 nginx -e "$dir/daemon.log" -p "$dir/nginx" -c "$dir/nginx.conf" \
		-g 'daemon off; master_process off;' >"$dir/nginx.out" 2>&1
}

# sshd told to listen on the held port: "Bind to port N on 127.0.0.1 failed".
fail_sshd() { # HOST PORT NETNS
	local dir="$WORK/$1"
	ssh-keygen -q -t ed25519 -N '' -f "$dir/failing_hostkey" >/dev/null
	printf 'HostKey %s\nPidFile %s\nUsePAM no\n' "$dir/failing_hostkey" "$dir/failing.pid" >"$dir/failing_config"
	ip netns exec "$3" timeout 30 /usr/sbin/sshd -D -e -f "$dir/failing_config" -p "$2" \
		-o ListenAddress=127.0.0.1 2>"$dir/daemon.log"
}

# ---- the ssh hosts -------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$WORK/client_key" >/dev/null
[ -d /run/sshd ] || { mkdir -p /run/sshd && made_run_sshd=yes; }

# start_ssh_host HOST NETNS USER: an sshd in its own network and UTS namespaces.
start_ssh_host() {
	local host=$1 ns=$2 user=$3 dir="$WORK/$1"
	ip netns add "$ns" || die "ip netns add $ns"
	NETNS+=("$ns")
	ip netns exec "$ns" ip link set lo up
	# No password, and not locked either (sshd refuses a locked account).
	useradd -m -d "$WORK/home-$user" -s /bin/bash -p '*' "$user" || die "useradd $user"
	USERS+=("$user")
	install -d -m 700 -o "$user" -g "$user" "$WORK/home-$user/.ssh"
	install -m 600 -o "$user" -g "$user" "$WORK/client_key.pub" "$WORK/home-$user/.ssh/authorized_keys"
	echo "$user ALL=(ALL) NOPASSWD: ALL" >>"$SUDOERS"
	ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey" >/dev/null
	cat >"$dir/sshd_config" <<-EOF
		HostKey $dir/hostkey
		PidFile $dir/sshd.pid
		ListenAddress 127.0.0.1
		Port 22
		UsePAM no
		PermitRootLogin no
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		AllowUsers $user
		Subsystem sftp internal-sftp
	EOF
	ip netns exec "$ns" unshare --uts sh -c 'hostname "$1" && exec /usr/sbin/sshd -D -e -f "$2"' \
		sh "$host" "$dir/sshd_config" 2>"$dir/sshd.log" &
	PIDS+=($!)
}

mkdir -p "$WORK/bin" "$WORK/reports" "$WORK/site"
LOCAL=$(uname -n)
for host in "$LOCAL" kbdiag-alpha kbdiag-beta; do mkdir -p "$WORK/$host"; done
: >"$SUDOERS"
chmod 440 "$SUDOERS"

declare -A HOLDER_NAME HOLDER_PID_OF HOLDER_PORT_OF DAEMON_OF
make_holder holder-local
make_holder holder-alpha
make_holder holder-beta

start_ssh_host kbdiag-alpha "kbfleet-$TAG-a" "kbfa$TAG"
start_ssh_host kbdiag-beta "kbfleet-$TAG-b" "kbfb$TAG"

start_holder "$LOCAL" holder-local
HOLDER_NAME[$LOCAL]=holder-local HOLDER_PID_OF[$LOCAL]=$HOLDER_PID HOLDER_PORT_OF[$LOCAL]=$HOLDER_PORT DAEMON_OF[$LOCAL]=nginx
fail_nginx "$LOCAL" "$HOLDER_PORT"
start_holder kbdiag-alpha holder-alpha "kbfleet-$TAG-a"
HOLDER_NAME[kbdiag-alpha]=holder-alpha HOLDER_PID_OF[kbdiag-alpha]=$HOLDER_PID HOLDER_PORT_OF[kbdiag-alpha]=$HOLDER_PORT DAEMON_OF[kbdiag-alpha]=sshd
fail_sshd kbdiag-alpha "$HOLDER_PORT" "kbfleet-$TAG-a"
start_holder kbdiag-beta holder-beta "kbfleet-$TAG-b"
HOLDER_NAME[kbdiag-beta]=holder-beta HOLDER_PID_OF[kbdiag-beta]=$HOLDER_PID HOLDER_PORT_OF[kbdiag-beta]=$HOLDER_PORT DAEMON_OF[kbdiag-beta]=nginx
fail_nginx kbdiag-beta "$HOLDER_PORT" "kbfleet-$TAG-b"

# kbdiag-gamma: a loopback port that was free a moment ago, so nothing answers.
GAMMA_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The site rule, a template: every reachable host reports it, which shows
# the role put it in /etc/kbdiag/rules.d.
cat >"$WORK/site/fleet-site.lua.j2" <<'EOF'
rule "fleet-site" {
  title = "the site rules of {{ kbdiag_site_name }} are in place",
  severity = "info",
  when = { host { name = { "?name", match "." } } },
  diagnose = "?name reads the site rules of {{ kbdiag_site_name }}",
}
EOF

ssh_args() { # NETNS
	echo "-o ProxyCommand=\"ip netns exec $1 socat - TCP:127.0.0.1:22\" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
}
cat >"$WORK/inventory.yml" <<EOF
fleet:
  hosts:
    $LOCAL:
      ansible_connection: local
      kbdiag_logs: ["$WORK/$LOCAL/daemon.log"]
      kbdiag_remote_dir: $WORK/remote/$LOCAL
    kbdiag-alpha:
      ansible_host: 127.0.0.1
      ansible_user: kbfa$TAG
      ansible_ssh_common_args: '$(ssh_args "kbfleet-$TAG-a")'
      kbdiag_logs: ["$WORK/kbdiag-alpha/daemon.log"]
      kbdiag_remote_dir: $WORK/remote/kbdiag-alpha
    kbdiag-beta:
      ansible_host: 127.0.0.1
      ansible_user: kbfb$TAG
      ansible_ssh_common_args: '$(ssh_args "kbfleet-$TAG-b")'
      kbdiag_logs: ["$WORK/kbdiag-beta/daemon.log"]
      kbdiag_remote_dir: $WORK/remote/kbdiag-beta
    kbdiag-gamma:
      ansible_host: 127.0.0.1
      ansible_port: $GAMMA_PORT
      ansible_user: nobody
  vars:
    ansible_python_interpreter: /usr/bin/python3
    ansible_ssh_private_key_file: $WORK/client_key
    kbdiag_deb: $DEB
    kbdiag_site_rules: ["$WORK/site/fleet-site.lua.j2"]
    kbdiag_site_name: the test fleet
    kbdiag_collect: true
    kbdiag_reports_dir: $WORK/reports
    kbdiag_controller_command: $KBDIAG
EOF

# The collection, found where Ansible looks for kbdiag.fleet.
mkdir -p "$WORK/collections/ansible_collections/kbdiag"
ln -s "$SRC/ansible" "$WORK/collections/ansible_collections/kbdiag/fleet"
export ANSIBLE_COLLECTIONS_PATH="$WORK/collections" ANSIBLE_HOME="$WORK/ansible-home" \
	ANSIBLE_LOCAL_TEMP="$WORK/ansible-home/tmp" ANSIBLE_SSH_CONTROL_PATH_DIR="$WORK/ansible-home/cp" \
	ANSIBLE_PIPELINING=1 ANSIBLE_NOCOLOR=1 ANSIBLE_STDOUT_CALLBACK=ansible.posix.json \
	ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=30s"

# run_playbook NAME: the playbook's JSON output in $WORK/NAME.json; its exit
# status is 2 (a host failed) or 4 (a host unreachable) when all went to plan.
run_playbook() {
	local status=0
	ansible-playbook -i "$WORK/inventory.yml" "$SRC/ansible/playbooks/fleet.yml" \
		>"$WORK/$1.json" 2>"$WORK/$1.err" || status=$?
	echo "== ansible-playbook ($1): exit $status, $(date -u +%T)"
	cat "$WORK/$1.err"
}

run_playbook first
cp "$WORK/reports/fleet.txt" "$WORK/fleet-first.txt" 2>/dev/null
run_playbook second

args=(--work "$WORK" --unreachable kbdiag-gamma)
for host in "$LOCAL" kbdiag-alpha kbdiag-beta; do
	args+=(--host "$host" "${DAEMON_OF[$host]}" "${HOLDER_NAME[$host]}" "${HOLDER_PID_OF[$host]}" "${HOLDER_PORT_OF[$host]}")
done
"$PY" "$SRC/tests/fleet/check.py" "${args[@]}" || FAILED=1
if [ -f "$WORK/reports/fleet.txt" ]; then
	echo "== the roll-up (kbdiag fleet --format text)"
	cat "$WORK/reports/fleet.txt"
fi
for host in "$LOCAL" kbdiag-alpha kbdiag-beta; do
	if [ "$FAILED" != 0 ]; then
		echo "== $host: what its daemon logged, its sshd's log, kbdiag's stderr"
		cat "$WORK/$host/daemon.log" "$WORK/$host/sshd.log" "$WORK/reports/hosts/$host/report.err" 2>/dev/null
	fi
done
[ "$FAILED" = 0 ] && echo "fleet: passed"
exit "$FAILED"
