-- One `bind_problem` per thing that went wrong, however often it was
-- logged: nginx tries five times and says "still could not bind()", exim
-- retries ten times, systemd restarts a failing unit again and again, and
-- dovecot's lib and master both report the same listener.  The
-- bind_failure facts differ only in time and PID, so leaving those out
-- makes the engine keep one; the diagnoses in rules/linux/ match
-- bind_problem and make one finding each, with the first report as
-- evidence.
--
-- The Linux normalisers (bind_failure.lua) assert it beside each
-- bind_failure, rather than a rule deriving it from every bind_failure:
-- the Windows layer's failures (Exchange's 11506/11508 events) have their
-- own article rules (Q271275) and must not be diagnosed twice here.

kind "bind_problem" {
  service  = always { "string", "the daemon whose bind failed (linux_daemon.service)" },
  protocol = { "string", "what it failed to open, when known" },
  address  = { "string", "the address it asked for; nil when the log does not say (slapd)" },
  port     = { "integer", "the port it asked for; nil when the log does not say (slapd, unix sockets)" },
  code     = { "integer", "the errno it reported: 98, 99, 13" },
  error    = { "string", "the code's bind_error class: \"in_use\", \"not_available\", \"denied\"" },
}
