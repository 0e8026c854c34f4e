// What the storefront's scripts share: the GraphQL call over POST /graphql, the message line and
// small DOM helpers. Everything user-visible is set with textContent, never innerHTML.
export const TOKEN_KEY = 'shop.token';
export const $ = (id) => document.getElementById(id);
export const token = () => localStorage.getItem(TOKEN_KEY);

export async function gql(query, variables = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token()) headers.authorization = `Bearer ${token()}`;
  const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors?.length) {
    // A stale token (expired, or from another database) signs the shopper out.
    if (body.errors[0].extensions?.code === 'UNAUTHENTICATED') localStorage.removeItem(TOKEN_KEY);
    throw new Error(body.errors[0].message);
  }
  return body.data;
}

export function show(message) {
  $('message').textContent = message ?? '';
  $('message').hidden = !message;
}

export const money = ({ amount, currency }) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount / 100);

export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}
