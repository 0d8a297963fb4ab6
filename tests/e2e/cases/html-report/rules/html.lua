-- Rules whose own text is hostile, for the HTML page's escaping: a title
-- that is a script, an article that is a javascript: URL, a remedy that
-- closes an attribute.  Their findings quote hostile evidence too.
rule "html-hostile" {
  article = "javascript:alert(1)//Q1",
  title = "<script>document.title='pwned'</script> title",
  severity = "error",
  when = { event { id = 4242, level = "error", source = "?src", computer = "?host" } },
  diagnose = "?src on ?host",
  remedy = "Click <a href=\"javascript:alert(4)\">here</a>\" onmouseover=\"alert(5)",
}

rule "html-linked" {
  article = "Q271275",
  title = "A finding with a linked article",
  severity = "warning",
  when = { event { id = 4242, source = "?src" } },
  diagnose = "event 4242 from ?src",
  remedy = "Read the article.",
}

-- Matches its first condition only: a near miss, with an event no one
-- exported to name as what to collect.
rule "html-near" {
  article = "Q999999",
  title = "Never fires",
  severity = "info",
  when = { event { id = 4242, source = "?src" }, service { name = "?src", state = "running" } },
  diagnose = "?src runs",
}
