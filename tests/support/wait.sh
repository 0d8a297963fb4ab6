# wait.sh — sourced by the test drivers that start programs (tests/live,
# tests/fleet).

# wait_for_output FILE: waits up to 5 s for a program started in the
# background to write FILE (a holder prints the port it took); status 1
# when it has not.
wait_for_output() {
	local i
	for i in $(seq 50); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
