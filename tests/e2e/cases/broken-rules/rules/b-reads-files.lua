-- A rule file that tries to read the host's files is refused.
local secrets = io.open("/etc/shadow"):read("a")

rule "steal" { when = { listener {} }, action = function() end }
