package jsonx

// sessionPayload is a realistic Clerk v2 session-token payload (~500 bytes),
// the document the verifier validates and walks on every request.
var sessionPayload = []byte(`{"azp":"https://dashboard.example.com","exp":1767225660,"fea":"o:sso,o:audit_logs,u:export","fva":[12,-1],"iat":1767225600,"iss":"https://clerk.example.com","jti":"9f1c2b7e4a6d8e0f3b5a","nbf":1767225590,"o":{"fpm":"3,1","id":"org_2abcDEFghiJKLmnoPQRstuVWx","per":"billing,reports","rol":"admin","slg":"acme-inc"},"pla":"o:business,u:pro","sid":"sess_2abcDEFghiJKLmnoPQRstuVWx","sts":"active","sub":"user_2abcDEFghiJKLmnoPQRstuVWx","v":2,"act":{"sub":"user_2zyxWVUtsrQPOnmlKJIhgFEDc","iss":"https://dashboard.clerk.com","sid":"sess_2zyxWVUtsrQPOnm"}}`)

// sessionHeader is the matching JWT header.
var sessionHeader = []byte(`{"alg":"RS256","cat":"cl_B7d4PD111AAA","kid":"ins_2abcDEFghiJKLmnoPQRstuVWx","typ":"JWT"}`)
