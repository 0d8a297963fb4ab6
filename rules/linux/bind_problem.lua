-- One `bind_problem` per thing that went wrong, however often it was
-- logged: nginx tries five times and says "still could not bind()", exim
-- retries ten times, systemd restarts a failing unit again and again, and
-- dovecot's lib and master both report the same listener.  The facts
-- differ only in time and PID, so leaving those out makes the engine keep
-- one; the diagnoses match bind_problem and make one finding each.  The
-- first bind_failure stays its evidence.

kind "bind_problem" {
  service = "string",
  protocol = "string",
  address = "string",   -- nil when the log does not say (slapd)
  port = "integer",     -- nil when the log does not say (slapd, unix sockets)
  code = "integer",
  error = "string",     -- bind_error class: "in_use", "not_available", "denied"
}

rule "linux-bind-problem" {
  salience = 80,
  when = {
    bind_failure { service = "?svc", protocol = "?proto", address = "?addr", port = "?port",
                   code = "?code", error = "?class" },
  },
  assert = { bind_problem { service = "?svc", protocol = "?proto", address = "?addr", port = "?port",
                            code = "?code", error = "?class" } },
}
