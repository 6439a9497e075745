"""The documents the suite compares, with the changes a correct engine must find."""

from redline_pdf import make_pdf

LEFT_LINES = [
    "Alpha beta gamma delta epsilon.",
    "The contract term is twelve months.",
    "This clause will be deleted entirely.",
    "Final words stay the same.",
]
RIGHT_LINES = [
    "Alpha beta gamma delta epsilon.",
    "The contract term is twenty four months.",
    "Final words stay the same.",
    "A brand new closing sentence.",
]
# Index of the deleted line in LEFT_LINES and of the inserted line in RIGHT_LINES.
DELETED_LINE = 2
INSERTED_LINE = 3

LEFT_TEXT = "\n".join(LEFT_LINES) + "\n"
RIGHT_TEXT = "\n".join(RIGHT_LINES) + "\n"

LEFT_PDF = make_pdf([LEFT_LINES])
RIGHT_PDF = make_pdf([RIGHT_LINES])

# Two pages, for page indexes.
LEFT_PDF_2P = make_pdf([LEFT_LINES[:2], LEFT_LINES[2:]])
RIGHT_PDF_2P = make_pdf([RIGHT_LINES[:2], RIGHT_LINES[2:]])

# Same words, one of them bold on the right: a `style` change (Redline extension).
STYLE_LEFT_PDF = make_pdf([["The quick brown fox jumps over the lazy dog."]])
STYLE_RIGHT_PDF = make_pdf([[[("The quick ", "F1"), ("brown", "F2"), (" fox jumps over the lazy dog.", "F1")]]])

# A paragraph that moves from the top to the bottom: a `move` change (Redline extension).
MOVE_BLOCK = "Payment is due within thirty days of the invoice date without exception."
MOVE_LEFT_PDF = make_pdf([[
    MOVE_BLOCK,
    "The supplier shall deliver the goods to the main warehouse.",
    "Both parties agree to keep the terms of this agreement confidential.",
    "This agreement is governed by the laws of the state of New York.",
]])
MOVE_RIGHT_PDF = make_pdf([[
    "The supplier shall deliver the goods to the main warehouse.",
    "Both parties agree to keep the terms of this agreement confidential.",
    "This agreement is governed by the laws of the state of New York.",
    MOVE_BLOCK,
]])


def truncated_pdf() -> bytes:
    whole = make_pdf([LEFT_LINES])
    return whole[: len(whole) // 2]


NOT_A_PDF = b"This is plain text pretending to be a PDF.\n" * 20
