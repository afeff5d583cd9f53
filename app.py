"""SONI-Dashboard (placeholder frame until the dashboard lands)."""

import streamlit as st

st.set_page_config(page_title="SONI-Dashboard", layout="wide")
st.title("SONI-Dashboard")
