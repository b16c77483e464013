"""The post's pre-arrival information: expected lists from HQ, matched against each read."""
