"""The sandbox's egress: `none`, `archive` (package archives through the harness's allow-listing
proxy) or `full`. docs/security.md says what each one reaches."""
