-- A test rule in the shape of Q214864 (Exchange protocols fail after Windows
-- NT 4.0 Service Pack 4): it needs service pack 4.  On this case's host
-- (service pack 6) it must not fire, and `--why-not Q214864` must say that
-- the host runs service pack 6 where the rule needs 4.
rule "Q214864" {
  article = "Q214864",
  title = "Exchange protocols fail after applying Windows NT 4.0 Service Pack 4",
  severity = "error",
  when = {
    host { os_version = "4.0", service_pack = 4 },
    bind_failure { service = "information store", protocol = "?proto", error = "not_available" },
  },
  diagnose = "Windows NT 4.0 Service Pack 4 returns addresses that are not bound, so the information store cannot register ?proto.",
  remedy = "Install the latest Windows NT 4.0 service pack.",
}
