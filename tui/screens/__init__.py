"""One screen per module; dialogs are ``ModalScreen`` subclasses."""
