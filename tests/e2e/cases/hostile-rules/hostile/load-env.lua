-- Compiling code with an environment of its own choosing.
local f = load("io.open(\"pwned\", \"w\")", "x", "t", { io = io })
