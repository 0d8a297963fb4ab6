-- Q218441 Err Msg: Server Encountered Bad Data from the Client.
-- IIS 4.0 on Windows NT 4.0 before Service Pack 4: SSL browsers lose the
-- connection ("Server encountered bad data from the client") and W3SVC logs
-- 115 "Service could not bind instance 5" (also 3, 10): with more than one
-- certificate, Schannel.dll may hand the wrong one out.  Fixed in Windows NT
-- 4.0 SP4.  The sites are other than the default (instance 1, whose port
-- is 80 and whose failures are port conflicts, Q261194), whose port the
-- bundle does not show; on SP4 and later the general diagnosis reports it.  A
-- failure with 10049 (the site's address is not the server's) is Q239424's.

rule "Q218441" {
  article = "Q218441",
  title = "Schannel before Windows NT 4.0 SP4 hands out the wrong certificate, so SSL sites fail",
  severity = "error",
  salience = 20,
  products = { "Internet Information Server 4.0", "Windows NT Server 4.0" },
  when = {
    bind_failure { service = "WWW service", event_id = 115, error = ne("not_available"), port = "?port",
                   instance = test(function(v) return v ~= nil and v ~= 1 end) },
    host { os_version = "4.0", service_pack = { "?sp", lt(4) } },
    no(explained { service = "WWW service", port = "?port" }),
  },
  diagnose = "The Web service could not bind the SSL side of a site other than the Default Web Site (W3SVC event "
    .. "115) on Windows NT 4.0 Service Pack ?sp: with more than one server certificate, Schannel.dll before Service "
    .. "Pack 4 may send the wrong one, and browsers report \"Server encountered bad data from the client\".",
  remedy = "Install the latest Windows NT 4.0 service pack (Service Pack 4 or later), then restart the Web service.",
  assert = { explained { service = "WWW service", port = "?port", rule = "Q218441" } },
}
