-- The general layer: a `bind_failure` is any report that a service could
-- not open its port or address, whatever the product or log format said.
-- Article rules match bind failures, not raw events, so one rule covers
-- every spelling of every event that means the same thing.

kind "bind_failure" {
  service = "string",    -- what could not bind: "information store", "nginx", ...
  protocol = "string",   -- "POP3", "HTTP", ... when known
  port = "integer",      -- when known
  address = "string",    -- when known ("0.0.0.0" for any)
  code = "integer",      -- as reported: 10048 (0x2740), 10049, 98, 99, 13, ...
  error = "string",      -- the code's class: "in_use", "not_available", "denied"
  source = "string",     -- the event source or program that reported it
  pid = "integer",       -- of the process that failed, when known
  time = "string",       -- when it was reported, when known
}

-- Exchange protocol interfaces: "Accept clients on POP3 interface failed in
-- function HrRegisterProtocol with error 0x2740" (event 11506 / 11508).
rule "bind-failure-exchange-protocol" {
  when = {
    event { source = "?src", code = "?code", level = "error", time = "?time" },
    protocol_source { source = ci "?src", protocol = "?proto", service = "?svc" },
    well_known_port { protocol = "?proto", port = "?port" },
    bind_error { code = "?code", error = "?class" },
  },
  assert = { bind_failure { service = "?svc", protocol = "?proto", port = "?port", code = "?code",
                            error = "?class", source = "?src", time = "?time" } },
}
