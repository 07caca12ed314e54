'use strict';
// The sign-in link's page posts its token at once (a link preview that only GETs uses nothing up).
document.getElementById('login-form')?.requestSubmit();
