"""Operations tools that run outside the Rasa server: the launcher of `rasa run` (launch.py),
conversation retention (retention.py), the scale-out profile (scale_out.py) and stopping a
process group (processes.py)."""
