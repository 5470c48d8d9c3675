/**
 * to_char's format for a timestamp column (UTC by convention) as ISO 8601 text: what json_build_object needs, where a
 * timestamp would lose its zone, so the reader can make a Date of it.
 */
export const UTC_ISO_TEXT = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';
