-- Q166846 Cannot Reconnect to TN3270 Server with Close Listen Sockets.
-- With the Close Listen Socket option, SNA Server 2.11 and 3.0's TN3270
-- server closes its listen socket when every session is in use (event
-- 207 "The TN3270E Server has closed the socket which listens for
-- clients") and opens it again when one frees up (206 "... has opened a
-- socket to listen for clients").  Windows NT 4.0's TCP/IP then keeps
-- validating connections against the old, closed address object, so
-- clients are reset until the TN3270 service restarts; the latest Windows
-- NT 4.0 service pack fixes TCP/IP.  A 207 alone is the option working
-- as meant (all sessions busy): the rule needs the reopening.

local tn3270 = ci "TN3270 Server"

rule "Q166846" {
  article = "Q166846",
  title = "TN3270 clients cannot reconnect after the server reopened its listen socket",
  severity = "error",
  salience = 30,
  products = { "Windows NT Server 4.0", "SNA Server 2.11", "SNA Server 3.0" },
  when = {
    event { source = tn3270, id = 206 },
    exists(event { source = tn3270, id = 207 }),
  },
  diagnose = "TN3270 Server events 207 and 206: the TN3270 server closed its listen socket (Close Listen Socket, all "
    .. "sessions in use) and opened it again, and Windows NT 4.0's TCP/IP still checks new connections against the "
    .. "closed socket, so TN3270 clients are reset until the TN3270 service restarts.",
  remedy = "Apply the latest Windows NT 4.0 service pack; until then, stop and start the TN3270 service (or turn off "
    .. "the Close Listen Socket option) to let clients connect again.",
}
