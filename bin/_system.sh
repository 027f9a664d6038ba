# Sourced by bin/run: the system packages the product needs beyond Python (Debian).
# Chinese PDFs need the Noto CJK font; HarfBuzz subsetting keeps them fast (see STACK facts).
need=""
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need="$need fonts-noto-cjk"
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset" || need="$need libharfbuzz-subset0"
ldconfig -p 2>/dev/null | grep -q "libpango-1.0" || need="$need libpango-1.0-0 libpangoft2-1.0-0"
# SAML single sign-on: the product verifies assertions with the xmlsec wheel (self-contained);
# the xmlsec1 tool signs them for the test suite's identity provider and checks IdP metadata.
command -v xmlsec1 >/dev/null 2>&1 || need="$need xmlsec1"
if [ -n "$need" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages:$need (PDF rendering, Chinese fonts, SAML)…"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null \
      || echo "warning: could not install$need; PDFs may lack Chinese glyphs." >&2
  else
    echo "warning: missing$need (install them for PDFs with Chinese text)." >&2
  fi
fi
