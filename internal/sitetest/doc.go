// Package sitetest holds the browser test of `make site` (.ci/site.py): the rendered
// notebooks open in a headless Chromium, the index links to them and their plots load. It
// has no code of its own.
package sitetest
