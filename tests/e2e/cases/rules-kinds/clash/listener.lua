-- listener is a stock kind: declaring it with other slots is an error.
kind "listener" { port = "string" }
