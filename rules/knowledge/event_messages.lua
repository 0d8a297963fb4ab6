-- Message templates of the events the stock rules read, and the system
-- messages their insertion strings refer to ("%%1053", "%%10048"), for
-- events that arrive with insertion strings but no rendered text: binary
-- .evtx (and .evt) logs, wevtutil XML without RenderingInfo.  kbdiag
-- renders the message from them as it reads each event (before the
-- pre-filter looks at it; facts/windows/events/event_message.c), and the
-- event's `message_from` says which way it was made: "template" (a row
-- below), "insertion strings" (no row: the strings joined with ", "), or
-- "export" (the export's own text).
--
-- Only texts from public documentation, as written there (%n is a line
-- break, as FormatMessage renders it).  Events the rules name that have no
-- published template are not listed, and are matched by their insertion
-- strings: Exchange 5.5's 11506/11508 (IMAP4/NNTP/POP3), MSExchangeIS 1194,
-- MSExchangeDS 1306/1309 and MSExchangeIMC 4007/4020 (the KB articles quote
-- the rendered text only), and IIS's SMTPSVC/W3SVC/MSFTPSVC/NNTPSVC 115
-- (quoted rendered, "The service could not bind instance 1.  The data is
-- the error code.", by Q228475 and Microsoft's IIS pages).

kind "event_message" {
  source   = { "string", "the event source" },
  id       = { "integer", "the event ID" },
  template = { "string", "the published message with %1, %2 ... placeholders" },
}

local function scm(id, template)
  return { source = "Service Control Manager", id = id, template = template }
end

facts "event_message" {
  -- Service Control Manager (System log), Windows Vista and later: the
  -- message table of services.exe, as Microsoft documents the events in
  -- its Windows Server 2008 "Events and Errors" pages for the Service
  -- Control Manager ("Service Start Operations": 7000, 7001, 7009;
  -- "Service Stop Operations": 7023, 7031, 7034) and KB 133010 for 7023
  -- ("<name of your service> terminated with the following error:
  -- <description of the error>").
  scm(7000, "The %1 service failed to start due to the following error: %n%2"),
  scm(7001, "The %1 service depends on the %2 service which failed to start because of the following error: %n%3"),
  scm(7009, "A timeout was reached (%1 milliseconds) while waiting for the %2 service to connect."),
  scm(7023, "The %1 service terminated with the following error: %n%2"),
  scm(7031, "The %1 service terminated unexpectedly.  It has done this %2 time(s).  The following corrective action will be taken in %3 milliseconds: %5."),
  scm(7034, "The %1 service terminated unexpectedly.  It has done this %2 time(s)."),
}

-- The Windows NT 4.0 DNS Server's socket events, as KB Q199286 ("DNS Event
-- IDs 1 Through 1657 for Windows NT 4.0 SP4") publishes their texts.
facts "event_message" {
  { source = "DNS", id = 404, template = "DNS Server could not bind a TCP socket to address %1. The data is the error. "
      .. "Note that an IP address of 0.0.0.0 indicates a socket that will use all IP addresses available on this "
      .. "computer. That is a valid configuration." },
  { source = "DNS", id = 407, template = "DNS Server could not bind a datagram (UDP) socket to %1. The data is the error." },
  { source = "DNS", id = 408, template = "DNS Server could not open socket for address %1. Verify that this is a valid "
      .. "IP address on this computer. If it is NOT valid, use the Interfaces dialog box under Server Properties in the "
      .. "DNS Manager to remove it from the list of IP interfaces. Then stop and restart the DNS server. (If this was the "
      .. "only IP interface on this computer, the DNS server may not have started as a result of this error. In that "
      .. "case, remove the DNS\\Parmeters\\ListenAddress value in the services section of the registry and restart.) If "
      .. "this is a valid IP address for this computer, make sure that no other application (for example, another DNS "
      .. "server) is running that would attempt to use the DNS port." },
}

-- System messages (FormatMessage's FORMAT_MESSAGE_FROM_SYSTEM text) that
-- event insertion strings refer to as "%%code": Microsoft's "System Error
-- Codes (1000-1299)" and "System Error Codes (9000-11999)"
-- (learn.microsoft.com/windows/win32/debug/system-error-codes--1000-1299,
-- --9000-11999) and "Windows Sockets Error Codes" (winsock2 docs), with
-- the symbolic name those pages give each.
--
-- The event readers also read a code from these rows when a message
-- spells no number (facts/windows/events/event_message.c): the symbolic
-- name as a word ("return code WSAEADDRINUSE"), or the text itself, as
-- Event Viewer renders a 7023 ("... terminated with the following error:
-- Only one usage of each socket address ...") in English or, on a
-- localised Windows, in its language.  `lang` names that language (nil:
-- English, the text a "%%code" reference renders to).
kind "system_message" {
  code = { "integer", 'the system message number a "%%N" insertion string refers to' },
  text = { "string", "its published text" },
  name = { "string", 'the symbolic name: "WSAEADDRINUSE", "ERROR_SERVICE_REQUEST_TIMEOUT"' },
  lang = { "string", 'the language of a localised text ("de", "zh-CN", ...); nil for English' },
}

facts "system_message" {
  { code = 1053,  name = "ERROR_SERVICE_REQUEST_TIMEOUT", text = "The service did not respond to the start or control request in a timely fashion." },
  { code = 1058,  name = "ERROR_SERVICE_DISABLED", text = "The service cannot be started, either because it is disabled or because it has no enabled devices associated with it." },
  { code = 1068,  name = "ERROR_SERVICE_DEPENDENCY_FAIL", text = "The dependency service or group failed to start." },
  { code = 1069,  name = "ERROR_SERVICE_LOGON_FAILED", text = "The service did not start due to a logon failure." },
  { code = 10013, name = "WSAEACCES", text = "An attempt was made to access a socket in a way forbidden by its access permissions." },
  { code = 10048, name = "WSAEADDRINUSE", text = "Only one usage of each socket address (protocol/network address/port) is normally permitted." },
  { code = 10049, name = "WSAEADDRNOTAVAIL", text = "The requested address is not valid in its context." },
  { code = 10050, name = "WSAENETDOWN", text = "A socket operation encountered a dead network." },
  { code = 10061, name = "WSAECONNREFUSED", text = "No connection could be made because the target machine actively refused it." },

  -- The same messages as localised Windows prints them.  Microsoft's
  -- localised "Windows Sockets Error Codes" pages translate the
  -- documentation, not the message table, so these are the system's own
  -- texts as programs printed them (FormatMessage through .NET's
  -- SocketException, Python's WinError, Rust's os error) with the code
  -- beside them, in public reports:
  -- German 10048: dotnet/MQTTnet issue 769 (a TcpListener's bind).
  { code = 10048, lang = "de",
    text = "Normalerweise darf jede Socketadresse (Protokoll, Netzwerkadresse oder Anschluss) nur jeweils einmal verwendet werden." },
  -- Spanish 10048: IIC2233/syllabus-2020-1 issue 1015 ("OSError: [WinError
  -- 10048] Solo se permite un uso de cada direcci?n de socket
  -- (protocolo/direcci?n de red/puerto)", the console's code page having
  -- garbled the "ó"; quoted as far as it goes).
  { code = 10048, lang = "es", text = "Solo se permite un uso de cada dirección de socket (protocolo/dirección de red/puerto)" },
  -- Simplified Chinese 10048: Pixeval/Pixeval issue 63, NewLifeX/NewLife.Redis
  -- issue 54 (SocketException ErrorCode 10048 with this text).
  { code = 10048, lang = "zh-CN", text = "通常每个套接字地址(协议/网络地址/端口)只允许使用一次。" },
  -- Simplified Chinese 10013: EasyTier/EasyTier issue 1309 ("(os error
  -- 10013)"), L-codes/Neo-reGeorg issue 77 ("[WinError 10013]").
  { code = 10013, lang = "zh-CN", text = "以一种访问权限不允许的方式做了一个访问套接字的尝试。" },
  -- Simplified Chinese 10049: cjlaaa/mir2ServerRelease issue 1 (a
  -- SocketException from Socket.DoBind: "in its context, the requested
  -- address is not valid", the English text of 10049 word for word).
  { code = 10049, lang = "zh-CN", text = "在其上下文中，该请求的地址无效。" },
  -- German 10013: "[WinError 10013] Der Zugriff auf einen Socket war
  -- aufgrund der Zugriffsrechte des Sockets unzulässig" in a Python
  -- project's comment and in German troubleshooting notes, "os error 10013"
  -- with it in a Rust application's release notes; its full stop as Go
  -- prints it ("bind: Der Zugriff ... unzulässig.", Docker, Syncthing).
  { code = 10013, lang = "de",
    text = "Der Zugriff auf einen Socket war aufgrund der Zugriffsrechte des Sockets unzulässig." },
  -- Spanish 10013: "PermissionError: [WinError 10013] Intento de acceso a
  -- un socket no permitido por sus permisos de acceso" in a DNS server
  -- exercise's notes and "urlopen error [WinError 10013] ..." in a test;
  -- its full stop in Docker's "bind: Intento ... de acceso.".
  { code = 10013, lang = "es", text = "Intento de acceso a un socket no permitido por sus permisos de acceso." },
  -- Spanish 10049: IIC2233/syllabus-2020-1 issues 1021 and 1022
  -- ("OSError: [WinError 10049] La dirección solicitada no es válida en
  -- este contexto").
  { code = 10049, lang = "es", text = "La dirección solicitada no es válida en este contexto" },
  -- French 10048: codingforentrepreneurs/ChatXChannels issue 3 ("[WinError
  -- 10048] Une seule utilisation ... (protocole/ad resse r?seau/port) est
  -- habituellement autoris?e.", wrapped, the console having garbled the
  -- accents); the accents as a French copy of Microsoft's AIP scanner
  -- troubleshooting page quotes the SocketException.
  { code = 10048, lang = "fr",
    text = "Une seule utilisation de chaque adresse de socket (protocole/adresse réseau/port) est habituellement autorisée." },
  -- French 10013: cedrick-f/pySequence src/wx_pysequence.py ("socket.error:
  -- [Errno 10013] Une tentative d’accès ... a été tentée"); projects'
  -- notes print "[WinError 10013]" with it and an ASCII apostrophe, which
  -- the reader takes for the typographic one.
  { code = 10013, lang = "fr",
    text = "Une tentative d’accès à un socket de manière interdite par ses autorisations d’accès a été tentée" },
  -- French 10049: Milerius/workshop-geneva-2020,
  -- AtomicDexWorkshop/WorkshopFirstPart/README.md (mm2's "error creating
  -- server listener: L’adresse ... contexte. (os error 10049)"), and
  -- "[WinError 10049] L’adresse ..." in a Python script's comment.
  { code = 10049, lang = "fr", text = "L’adresse demandée n’est pas valide dans son contexte." },
  -- Italian 10048: "System.Net.Sockets.SocketException (10048): Di norma è
  -- consentito ... (protocollo/indirizzo di rete/porta)." in a .NET
  -- service's troubleshooting guide, and asyncio's "[Errno 10048] error
  -- while attempting to bind on address ('127.0.0.1', 8188): di norma ..."
  -- (first letter lowered) in a ComfyUI log.
  { code = 10048, lang = "it",
    text = "Di norma è consentito un solo utilizzo di ogni indirizzo di socket (protocollo/indirizzo di rete/porta)." },
  -- Italian 10013, as far as it is printed with its code: "[WinError 10013]
  -- Tentativo di accesso al socket con modalità non consentite" and
  -- "SocketException (10013): Tentativo ... non consentite", both cut
  -- there; a README quotes the sentence on ("... dalle rispettive
  -- autorizzazioni di accesso") without a code.
  { code = 10013, lang = "it", text = "Tentativo di accesso al socket con modalità non consentite" },
  -- Brazilian Portuguese 10048 and 10013: luistiagos/GODSend,
  -- docs/bugs/closed/backend-go-bind-port-busy-portuguese-win32-error_2026-07-14T00-18.md
  -- (Go's "bind: <text>." for each, the report naming WSAEADDRINUSE 10048
  -- and WSAEACCES 10013); "[winerror 10048] normalmente é permitida ..."
  -- (uvicorn) and "[WinError 10013] Foi feita uma tentativa ..." in
  -- projects' notes.
  { code = 10048, lang = "pt-BR",
    text = "Normalmente é permitida apenas uma utilização de cada endereço de soquete (protocolo/endereço de rede/porta)." },
  { code = 10013, lang = "pt-BR",
    text = "Foi feita uma tentativa de acesso a um soquete de uma maneira que é proibida pelas permissões de acesso." },
  -- Brazilian Portuguese 10049: "OSError: [WinError 10049] O endereço
  -- solicitado não é válido no contexto" (a dispy multicast fix's README)
  -- and "WinError 10049 - o endereço ..." (a project's setup notes).
  { code = 10049, lang = "pt-BR", text = "O endereço solicitado não é válido no contexto" },
  -- Russian 10048: zyddnys/manga-image-translator issue 232 ("[Errno 10048]
  -- error while attempting to bind on address ('127.0.0.1', 5003): обычно
  -- разрешается ... (протокол/сетевой адрес/порт)", first letter lowered),
  -- "OSError: [WinError 10048] Обычно ..." in Python projects' comments.
  { code = 10048, lang = "ru",
    text = "Обычно разрешается только одно использование адреса сокета (протокол/сетевой адрес/порт)" },
  -- Russian 10013: "[WinError 10013] Сделана попытка доступа к сокету
  -- методом, запрещенным правами доступа" in a server's log and
  -- OSError(10013, "...") in a test.
  { code = 10013, lang = "ru", text = "Сделана попытка доступа к сокету методом, запрещенным правами доступа" },
  -- Russian 10049: craton-co/CratonVM's record of a Tomcat test failing
  -- on Windows ("connect [::ffff:127.0.0.1]:54718: Требуемый адрес для
  -- своего контекста неверен. (os error 10049)"), and the same in a Spring
  -- Boot RSocket test's log.
  { code = 10049, lang = "ru", text = "Требуемый адрес для своего контекста неверен." },
  -- Japanese 10048: ekicyou/areka, the sign-off record of its MCP server
  -- ("error=通常、... 使用できます。 (os error 10048)"), and "OSError:
  -- [WinError 10048] 通常、..." in several projects' troubleshooting notes.
  { code = 10048, lang = "ja",
    text = "通常、各ソケット アドレスに対してプロトコル、ネットワーク アドレス、またはポートのどれか 1 つのみを使用できます。" },
  -- Japanese 10013: "[WinError 10013] アクセス許可で禁じられた方法でソケットに
  -- アクセスしようとしました。" in projects' notes (Django's runserver,
  -- Python's http.server).
  { code = 10013, lang = "ja", text = "アクセス許可で禁じられた方法でソケットにアクセスしようとしました。" },
  -- Japanese 10049: "[WinError 10049] 要求したアドレスのコンテキストが無効です。"
  -- in a gcloud proxy note and a FastAPI note.
  { code = 10049, lang = "ja", text = "要求したアドレスのコンテキストが無効です。" },
  -- Sources named by no repository above were found by their exact text
  -- in a search index of public GitHub files that does not name their
  -- repositories; each text is as printed there beside its code.
  -- Not read: German and Italian 10049.  "Die angeforderte Adresse ist in
  -- diesem Kontext ungültig" appears without a code, or beside 10049 only
  -- transliterated ("ungueltig"); "L'indirizzo richiesto non è valido nel
  -- suo contesto" only in a PHP warning without one (docs/windows-rules.md).
}

-- The errors of the Service Control Manager events the Windows NT service
-- articles quote (Q170135, Q317140, Q217351, Q262832): "System Error
-- Codes (0-499)" and "(1700-3999)" on the same site.  Windows NT 4.0
-- worded 52 "A duplicate name exists on the network." (Q317140 quotes
-- it); this is the text Microsoft publishes now.
facts "system_message" {
  { code = 31,    text = "A device attached to the system is not functioning." },
  { code = 52,    text = "You were not connected because a duplicate name exists on the network. If joining a domain, go to System in Control Panel to change the computer name and try again." },
  { code = 1720,  text = "The endpoint cannot be created." },
}
