"""What the published table prints, as patterns every layout shares: the header above the table
(`header`), amounts (`amounts`) and the indicator cell (`indicators`). No layout geometry here."""
