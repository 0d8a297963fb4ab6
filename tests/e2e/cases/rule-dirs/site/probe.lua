-- A --rules directory: loaded last, so its probe wins.
rule "probe" {
  title = "Which copy of the probe rule ran", severity = "warning",
  when = { listener { port = 110, pid = "?pid" } },
  diagnose = "the --rules directory's probe (PID ?pid)",
}
