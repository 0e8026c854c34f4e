// Page sizes every paginated field shares: the resolvers refuse a larger `first`, and the query
// cost limit counts at most this many items for it (so an out-of-range `first` gets the field's
// own BAD_USER_INPUT, not a cost refusal).
export const MAX_PAGE = 100;
