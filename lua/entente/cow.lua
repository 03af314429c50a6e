-- entente.cow: methods for the cow area, installed on World by init.lua.
return function(entente, World)
end
