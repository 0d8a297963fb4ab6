-- The general layer: a `bind_failure` is any report that a service could
-- not open its port or address, whatever the product or log format said.
-- Article rules match bind failures, not raw events, so one rule covers
-- every spelling of every event that means the same thing.

kind "bind_failure" {
  service = "string",    -- "information store", "nginx", ...
  protocol = "string",   -- "POP3", ... when known
  port = "integer",      -- when known
  address = "string",    -- when known
  code = "integer",      -- 10048, 10049, 98, 99, ... when known
  source = "string",     -- the event source or program that reported it
}

-- Exchange protocol interfaces: "Accept clients on POP3 interface failed in
-- function HrRegisterProtocol with error 0x2740" (event 11506 / 11508).
rule "bind-failure-exchange-protocol" {
  when = {
    event { source = "?src", code = "?code", level = "error" },
    protocol_source { source = ci "?src", protocol = "?proto", service = "?svc" },
    well_known_port { protocol = "?proto", port = "?port" },
  },
  assert = { bind_failure { service = "?svc", protocol = "?proto", port = "?port", code = "?code", source = "?src" } },
}
