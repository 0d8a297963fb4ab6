-- Q298944 Err Msg: There Was a Problem Logging onto Your Mail Server...
-- POP3 clients get "Your Password was rejected ... Server Error:
-- 0x800CCC90, Error Number: 0x800CCC92" and the information store logs
-- 11508 with 0x2740: third-party antivirus software has taken the POP3 port
-- (Norton AntiVirus's PoProxy.exe, a client component that must be removed
-- from an Exchange server; disabling it is not enough).  More specific than
-- Q271275 (the same event, any program): it fires first and claims the
-- port.  Which programs are antivirus: port_program / host_program.

local function remedy(m)
  local text = "Stop or turn off every antivirus service on the server. If the POP3 port stays taken, remove the "
    .. "antivirus software completely, restart the computer and reinstall it with its POP3 (e-mail) scanning "
    .. "turned off; then restart the information store."
  if (m.holder or ""):lower() == "poproxy.exe" then
    text = text .. " PoProxy.exe is a client component: on an Exchange server it must be removed, disabling it does "
      .. "not help."
  end
  return text
end

-- The 11508 event, and the listing names the antivirus program on the port.
rule "Q298944" {
  article = "Q298944",
  title = "Antivirus software holds the POP3 port the information store needs",
  severity = "error",
  salience = 40,
  products = { "Exchange Server 5.5" },
  when = {
    port_conflict { service = "information store", protocol = "POP3", port = "?port", code = 10048,
                    pid = "?pid", stop = "?stop", reported = "?reported" },
    host_program { pid = "?pid", category = "antivirus", name = "?holder", product = "?product" },
    no(explained { service = "information store", port = "?port" }),
  },
  diagnose = "Antivirus software has taken the POP3 port: ?stop, from ?product, holds TCP port ?port, so the "
    .. "information store cannot accept POP3 clients (?reported).",
  remedy = remedy,
  assert = { explained { service = "information store", port = "?port", rule = "Q298944" } },
}

-- The users' error: "Your Password was rejected ... Server Error:
-- 0x800CCC90, Error Number: 0x800CCC92", on the port given.
local function password_rejected(port)
  return client_error { protocol = "POP3", error_number = one_of { 0x800CCC90, 0x800CCC92 }, port = port,
                        server = "?server" }
end

local may_hold = "Antivirus software may hold the POP3 port the information store needs"

-- The event, the holder, and the users' error: the whole article, with the
-- client's message among the evidence.
rule "Q298944-with-client" {
  article = "Q298944",
  title = "Antivirus software holds the POP3 port the information store needs",
  severity = "error",
  salience = 45,
  products = { "Exchange Server 5.5" },
  when = {
    port_conflict { service = "information store", protocol = "POP3", port = "?port", code = 10048,
                    pid = "?pid", stop = "?stop", reported = "?reported" },
    host_program { pid = "?pid", category = "antivirus", name = "?holder", product = "?product" },
    client_error { protocol = "POP3", error_number = one_of { 0x800CCC90, 0x800CCC92 } },
  },
  diagnose = "Antivirus software has taken the POP3 port: ?stop, from ?product, holds TCP port ?port, so the "
    .. "information store cannot accept POP3 clients (?reported), and POP3 clients are told their password was "
    .. "rejected (0x800CCC92).",
  remedy = remedy,
  assert = { explained { service = "information store", port = "?port", rule = "Q298944-with-client" } },
}

-- No event, but the client's error: the antivirus program on the server
-- answered the logon on port 110 itself.
rule "Q298944-client" {
  article = "Q298944",
  title = "Antivirus software holds the POP3 port the information store needs",
  severity = "error",
  salience = 35,
  products = { "Exchange Server 5.5" },
  when = {
    password_rejected { "?port", gt(0) },
    listener { protocol = "tcp", port = "?port", pid = { "?pid", ge(0) } },
    host_program { pid = "?pid", category = "antivirus", name = "?holder", product = "?product" },
    no(explained { service = "information store", port = "?port" }),
  },
  diagnose = function(m)
    return "POP3 clients of " .. (m.server or "the server") .. " are told their password was rejected (0x800CCC92) "
      .. "because antivirus software answers them instead of the information store: " .. m.holder .. " (PID " .. m.pid
      .. "), from " .. m.product .. ", holds the POP3 port " .. m.port .. "."
  end,
  remedy = remedy,
  assert = { explained { service = "information store", port = "?port", rule = "Q298944-client" } },
}

-- The 11508 event and an antivirus program running, but a listing that
-- cannot name the port's holder (netstat -an, none, or NT 4.0's before
-- SP3): the event and the program are the article's evidence, so its
-- finding is made, saying what the listing could not show; Q271275 would
-- otherwise blame "an unknown program".
rule "Q298944-unconfirmed" {
  article = "Q298944",
  title = may_hold,
  severity = "error",
  salience = 40,
  products = { "Exchange Server 5.5" },
  when = {
    port_conflict { service = "information store", protocol = "POP3", port = "?port", code = 10048,
                    owner = one_of { "hidden", "unlisted", "blind" }, reported = "?reported", situation = "?situation",
                    collect = "?collect" },
    host_program { category = "antivirus", name = "?holder", product = "?product" },
    no(explained { service = "information store", port = "?port" }),
  },
  diagnose = "The information store could not open TCP port ?port for POP3 (?reported) while ?holder, from ?product, "
    .. "runs on the server: antivirus software that takes the POP3 port is the article's cause. What the listing "
    .. "shows: ?situation.",
  remedy = function(m) return remedy(m) .. (m.collect or "") end,
  assert = { explained { service = "information store", port = "?port", rule = "Q298944-unconfirmed" } },
}

-- The client's error, an antivirus program running, and netstat -an: port
-- 110 is taken, but the listing has no PIDs to say by whom.  A listing
-- that names the holder decides (Q298944-client, or no finding when it is
-- the store); one without PIDs must not dismiss the article's evidence.
rule "Q298944-client-hidden" {
  article = "Q298944",
  title = may_hold,
  severity = "warning",
  salience = 35,
  products = { "Exchange Server 5.5" },
  when = {
    password_rejected { "?port", gt(0) },
    host_program { category = "antivirus", name = "?holder", product = "?product" },
    listener { protocol = "tcp", port = "?port", pid = test(function(v) return v == nil end) },
    no(listener { protocol = "tcp", port = "?port", pid = ge(0) }),
    no(explained { service = "information store", port = "?port" }),
  },
  diagnose = function(m)
    return "POP3 clients of " .. (m.server or "the server") .. " are told their password was rejected (0x800CCC92) "
      .. "while " .. m.holder .. ", from " .. m.product .. ", runs on the server: antivirus software that takes the POP3 "
      .. "port answers them instead of the information store. The server's netstat -an shows port " .. m.port
      .. " in use but not by which program."
  end,
  remedy = function(m)
    return "Run netstat -ano and tasklist /svc on the server (on Windows NT 4.0 and 2000, a tool that maps ports to "
      .. "processes) to confirm which program holds port " .. m.port .. ". " .. remedy(m)
  end,
}

-- The client's error, an antivirus program running, and no listing to show
-- the port: the article's cause, not yet confirmed.
rule "Q298944-client-unlisted" {
  article = "Q298944",
  title = may_hold,
  severity = "warning",
  salience = 35,
  products = { "Exchange Server 5.5" },
  when = {
    password_rejected "?port",
    host_program { category = "antivirus", name = "?holder", product = "?product" },
    no(listener {}),
    no(explained { service = "information store", port = "?port" }),
  },
  diagnose = function(m)
    return "POP3 clients of " .. (m.server or "the server") .. " are told their password was rejected (0x800CCC92) "
      .. "while " .. m.holder .. ", from " .. m.product .. ", runs on the server: antivirus software that takes the POP3 "
      .. "port answers them instead of the information store. The bundle has no netstat listing to confirm that it holds "
      .. (m.port and "port " .. m.port or "the POP3 port") .. "."
  end,
  remedy = function(m)
    return "Run netstat -ano and tasklist /svc on the server to confirm which program holds "
      .. (m.port and "port " .. m.port or "the POP3 port") .. ". " .. remedy(m)
  end,
}
