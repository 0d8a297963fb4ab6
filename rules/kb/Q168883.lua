-- Q168883 XFOR: 4037 Event Starting Internet Mail Service, 1067 IMC Error.
-- Exchange Server 4.0-5.5: the Internet Mail Service stops responding and
-- cannot be restarted ("Error 1067: The process terminated unexpectedly");
-- MSExchangeIMC logs 4037 "An exception has occurred which was handled
-- internally ...": a corrupt message in Imcdata\In or Imcdata\Out.  A 4037
-- alone is one message the service got past; with the Service Control
-- Manager saying the service terminated (7023, 7031, 7034) it is this
-- article's failure.  Event 4037's insertion strings carry no text that
-- says so, so the condition is the pair of events.

rule "Q168883" {
  article = "Q168883",
  title = "A corrupt message in Imcdata stops the Internet Mail Service",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 4.0", "Exchange Server 5.0", "Exchange Server 5.5" },
  when = {
    event { source = ci "MSExchangeIMC", id = 4037, level = ne("information") },
    exists(event { source = ci "Service Control Manager", id = one_of { 7023, 7031, 7034 }, level = ne("information"),
                   message = match "Internet%s+Mail%s+%a+%s+service%s+terminated" }),
  },
  diagnose = "The Internet Mail Service handled an exception (MSExchangeIMC event 4037) and then terminated (Service "
    .. "Control Manager): a corrupt message in Exchsrvr\\Imcdata\\In or Imcdata\\Out stops it each time it starts.",
  remedy = "Stop the Internet Mail Service with Kill.exe (Resource Kit), move the files of Imcdata\\In and "
    .. "Imcdata\\Out into a Temp folder under each, delete Imcdata\\Queue.dat and start the service; if it stays up, "
    .. "move the messages back half at a time (deleting Queue.dat and restarting each time) to find the corrupt one. "
    .. "If it stops even with the folders empty, the message is in the MTA's queue.",
}
