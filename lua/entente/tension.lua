-- entente.tension: methods for the tension area, installed on World by init.lua.
return function(entente, World)
end
