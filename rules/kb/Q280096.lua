-- Q280096 XCCC: Unable to Connect to Exchange Server By Using POP3.
-- Exchange Server 5.5: POP3 clients are asked for their credentials again
-- and again and cannot log on, because Norton AntiVirus 2000's POP3 proxy
-- (the article spells it Popproxy.exe; Q298944 PoProxy.exe) runs on the
-- server and answers on port 110 with its own banner.  The evidence: that
-- program holds TCP port 110 where the information store (store.exe)
-- runs.  With the store's 11508 event or a client's 0x800CCC90/92,
-- Q298944 (salience 40) says it first.

rule "Q280096" {
  article = "Q280096",
  title = "Norton AntiVirus's POP3 proxy answers on port 110 instead of Exchange",
  severity = "error",
  salience = 15,
  products = { "Exchange Server 5.5" },
  when = {
    listener { protocol = "tcp", port = 110, pid = { "?pid", ge(0) } },
    process { pid = "?pid", name = { "?holder", match "^[Pp][Oo][Pp]?[Pp][Rr][Oo][Xx][Yy]%.[Ee][Xx][Ee]$" } },
    exists(process { name = ci "store.exe" }),
    no(explained { service = "information store", port = 110 }),
  },
  diagnose = "?holder (PID ?pid), Norton AntiVirus's POP3 proxy, listens on TCP port 110 of the Exchange server: "
    .. "POP3 clients reach it instead of the information store, and are asked to log on again and again.",
  remedy = "Disable or remove ?holder (Norton AntiVirus e-mail protection) on the Exchange server, then restart the "
    .. "information store; telnet to port 110 should then show the Exchange POP3 banner.",
  assert = { explained { service = "information store", port = 110, rule = "Q280096" } },
}
