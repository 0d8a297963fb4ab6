-- Rules over what the Linux collectors gather, for the live-collect case:
-- each holds on any Linux host, so `kbdiag run` and `kbdiag diagnose` of
-- a snapshot `kbdiag collect` wrote must report the same findings.

rule "log-address-in-use" {
  title = "A daemon could not bind its address",
  severity = "error",
  when = {
    event { source = "?src", code = 98, pid = "?pid", message = "?msg" },
  },
  diagnose = "?src (PID ?pid) reported errno 98: ?msg",
}

rule "linux-host" {
  title = "The host runs Linux",
  severity = "info",
  when = { host { os_family = "linux", kernel = "?k" } },
  diagnose = "This host runs Linux.",
}

rule "loopback-address" {
  title = "Loopback address present",
  severity = "info",
  when = { address { address = "127.0.0.1", interface = "?if", up = true } },
  diagnose = "127.0.0.1 is on ?if.",
}

rule "init-process" {
  title = "Process 1 seen",
  severity = "info",
  when = { process { pid = 1, name = "?n" } },
  diagnose = "PID 1 is running.",
}
