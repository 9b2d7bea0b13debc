from core.markdown import render_markdown


def test_markdown_renders_headings_lists_and_emphasis():
    html = render_markdown("# Title\n\n- one\n- **two**\n")
    assert "<h1>Title</h1>" in html
    assert "<li><strong>two</strong></li>" in html


def test_raw_html_and_dangerous_links_are_removed():
    html = render_markdown("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html, "raw HTML is shown as text, not dropped silently"


def test_headings_can_start_below_the_page_heading():
    html = render_markdown("# Title\n\n## Part\n\n###### Deep\n", top_level=3)
    assert "<h3>Title</h3>" in html and "<h4>Part</h4>" in html
    assert "<h6>Deep</h6>" in html, "never beyond h6"
    assert "<h1>" not in html
