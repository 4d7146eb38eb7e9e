"""Models the API has shut down: still named by the SDK's types, but refused by the API with 404
`model_not_found` ("The model `gpt-3.5-turbo-0613` has been deprecated, learn more here: ...", the wording of
recorded answers for text-davinci-003 and davinci) and no longer listed. Shutdown dates from the API's
deprecations page.
"""
from __future__ import annotations

RETIRED = frozenset((
    "gpt-3.5-turbo-0301", "gpt-3.5-turbo-0613", "gpt-3.5-turbo-16k-0613",  # 2024-09-13
    "gpt-4-vision-preview", "gpt-4-1106-vision-preview",  # 2024-12-06
    "gpt-4-32k", "gpt-4-32k-0314", "gpt-4-32k-0613",  # 2025-06-06
    "gpt-4.5-preview", "gpt-4.5-preview-2025-02-27",  # 2025-07-14
    "o1-preview", "o1-preview-2024-09-12",  # 2025-07-28
    "o1-mini", "o1-mini-2024-09-12",  # 2025-10-27
    "text-davinci-003", "text-davinci-002", "davinci", "curie", "babbage", "ada",  # 2024-01-04
))
DEPRECATIONS_URL = "https://platform.openai.com/docs/deprecations"
