//! Reading CSV and JSON: sniffing, decoding, streaming rows, inferring types.
