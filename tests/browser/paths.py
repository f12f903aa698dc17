"""The pages of the HTML contract, one of each type, by a short name used for screenshots."""

DOCUMENT = "chicago-eo-2025-6"
PROVISION = "chicago-eo-2025-6.p6"
IMPORTED_DOCUMENT = "us-eo-13900"

PAGES = {
    "home": "/",
    "documents": "/documents",
    "document": f"/documents/{DOCUMENT}",
    "imported-document": f"/documents/{IMPORTED_DOCUMENT}",
    "provision": f"/provisions/{PROVISION}",
    "actor": "/actors/chicago-police-department",
    "search": "/search?q=body%20cameras",
    "timeline": "/timeline",
    "not-found": "/documents/no-such-id",
}
EMBEDS = {
    "embed-provision": f"/embed/provisions/{PROVISION}",
    "embed-document": f"/embed/documents/{DOCUMENT}",
}
STATUS = {"not-found": 404}
