"""Documents: printable PDF forms (see yikao.documents.pdf)."""
