<?xml version="1.0" encoding="utf-8"?>
<!-- feed.xml opened in a browser: a readable Vietnamese page instead of raw XML (the feed names
     this stylesheet in <?xml-stylesheet?>; feed readers ignore it). Everything from the feed is
     put in with value-of, which escapes it. builder/feeds.py writes the feed. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:a="http://www.w3.org/2005/Atom"
    xmlns:vb="tag:vanban,2025:nguon-tin"
    exclude-result-prefixes="a vb">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:template match="/a:feed">
    <html lang="vi">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width,initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title>Nguồn tin: <xsl:value-of select="a:title"/></title>
        <style>
          body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; }
          header { background: #0d4a8f; color: #fff; padding: 1rem; }
          header h1 { margin: 0; font-size: 1.25rem; }
          main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
          .note { background: #eef4fb; border-left: 4px solid #0d4a8f; padding: .75rem 1rem; }
          code { overflow-wrap: anywhere; background: #f3f3f3; padding: 0 .2em; }
          ol { list-style: none; padding: 0; }
          li { border-bottom: 1px solid #ddd; padding: .75rem 0; }
          li a { color: #0d4a8f; font-weight: 600; }
          .meta { color: #555; font-size: .9rem; margin: .25rem 0 0; }
        </style>
      </head>
      <body>
        <header><h1><xsl:value-of select="a:title"/></h1></header>
        <main>
          <p class="note">Đây là <strong>nguồn tin</strong> (Atom) của cổng: các văn bản mới nhất, để ứng
            dụng đọc tin (Feedly, Inoreader, Thunderbird…) tự báo khi có văn bản mới. Muốn nhận tin, sao chép
            địa chỉ <code><xsl:value-of select="a:link[@rel='self']/@href"/></code> vào ứng dụng đọc tin.
            <a href="nguon-tin/">Cách nhận tin</a> · <a href="./">Trang chủ</a></p>
          <h2><xsl:value-of select="a:subtitle"/> (<xsl:value-of select="count(a:entry)"/>)</h2>
          <ol>
            <xsl:for-each select="a:entry">
              <li>
                <a href="{a:link[@rel='alternate']/@href}"><xsl:value-of select="a:title"/></a>
                <p class="meta">
                  <xsl:value-of select="vb:ngay"/> · <xsl:value-of select="a:author/a:name"/>
                </p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
