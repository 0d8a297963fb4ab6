-- Q246337 XADM: Exchange Directory Can't Start After Application of SP.
-- Exchange Server 5.5: the service pack installer found Performance
-- Monitor DLLs (Gwperf, Imsperf, Mdbperf, Mseperf, Mtaperf, Eseperf.dll)
-- or Edbbcli.dll in use; with Ignore, the new executables (Dsamain.exe,
-- Store.exe ...) were copied but not those DLLs, and the directory does
-- not start ("Entry Point Not Valid").  The file versions show it: one of
-- the DLLs of an older build (the third number: 2448 is SP2, 2650 SP3)
-- than Dsamain.exe.  A hotfix changes the fourth number only, so a build
-- the same as Dsamain.exe's is no mismatch.

local skipped = { "gwperf.dll", "imsperf.dll", "mdbperf.dll", "mseperf.dll", "mtaperf.dll", "eseperf.dll", "edbbcli.dll" }
local function is_skipped(name)
  local lower = name and name:lower()
  for _, s in ipairs(skipped) do
    if lower == s then return true end
  end
  return false
end

-- The build: the third number of a dotted version ("5.5.2650.21").
local function build(text)
  return tonumber(text and text:match("^%d+%.%d+%.(%d+)"))
end

rule "Q246337" {
  article = "Q246337",
  title = "A service pack left Exchange DLLs of an older build, so the directory does not start",
  severity = "error",
  salience = 30,
  products = { "Exchange Server 5.5" },
  when = {
    -- build() reads the versions as text: "5.5.2650.21"
    file { name = ci "dsamain.exe", version_text = { "?exe", match "^%d+%.%d+%.%d+" } },
    file { name = { "?dll", match "%.[Dd][Ll][Ll]$", test(is_skipped) }, version_text = { "?have", match "^%d+%.%d+%.%d+" } },
    test(function(m) return build(m.have) ~= nil and build(m.exe) ~= nil and build(m.have) < build(m.exe) end),
  },
  diagnose = "?dll is version ?have, an older build than Dsamain.exe ?exe: the service pack installer skipped it while "
    .. "it was in use, so the Exchange directory does not start (\"Entry Point Not Valid\").",
  remedy = "Stop the services you can do without, every Performance Monitor watching the server and, for "
    .. "Edbbcli.dll, any backup software or agent; run the service pack again, and when it lists the skipped "
    .. "files do not click Ignore: stop what holds them (or rename them) and let it copy them.",
}
