-- The system directory (KBDIAG_SYSTEM_RULES in this test, /etc/kbdiag/rules.d
-- otherwise): loaded after the stock set.
rule "probe" {
  title = "Which copy of the probe rule ran", severity = "warning",
  when = { listener { port = 110, pid = "?pid" } },
  diagnose = "the system directory's probe (PID ?pid)",
}

rule "system-only" {
  title = "A rule only the system directory has", severity = "info",
  when = { listener { port = 119 } },
  diagnose = "the system directory's own rule",
}
