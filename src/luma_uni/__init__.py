"""luma_uni: the layer users want on top of the generated Luma Agents client."""
