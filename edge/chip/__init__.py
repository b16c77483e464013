"""The post's side of ePassport chips: the CSCA trust store and the verdict on a read document."""
