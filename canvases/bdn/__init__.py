"""The benefits dependency network: its checks (graph), its drawing (layout), its panels."""
