-- Writing a file.
local f = io.open("pwned", "w")
