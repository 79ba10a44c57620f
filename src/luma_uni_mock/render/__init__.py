"""What a completed generation serves: its files, planned at POST as `outputs.PlannedFile` values and rendered only
when a URL is fetched (cached per distinct request). Every file is a card showing the request (cards.py), as an
image (images.py), an MP4 (videos.py) or layer PNGs (layers.py); Pillow and PyAV are imported on first use.
"""
